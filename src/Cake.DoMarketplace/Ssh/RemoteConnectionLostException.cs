using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Ssh;

/// <summary>The SSH connection dropped while a command ran, and the command was not expected to drop it.</summary>
public sealed class RemoteConnectionLostException(string label, string command, TimeSpan after, Exception inner)
    : DoMarketplaceException($"The SSH connection to {label} dropped after {DurationText.Of(after)} while running: {command.Split('\n')[0]}. " +
                "Its outcome is unknown. If the command reboots the machine or restarts sshd, set RemoteCommandSettings.ExpectReboot; the next command "
                    + "reconnects.", inner)
{
}
