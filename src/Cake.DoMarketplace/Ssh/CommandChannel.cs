using System.Reflection;
using Renci.SshNet;

namespace Cake.DoMarketplace.Ssh;

/// <summary>
/// End-of-file on a command's standard input with no input sent. SSH.NET's input stream sends EOF on dispose only after
/// data was written through it (its <c>ChannelInputStream.Dispose</c> checks the byte count, SSH.NET 2026.0.0), and it
/// has no other public way to send EOF, so the command's channel is asked directly. Should a later SSH.NET rename what
/// is used here, every command fails at once with this type named, never a build that waits forever.
/// </summary>
internal static class CommandChannel
{
    private static readonly FieldInfo? ChannelField = typeof(SshCommand).GetField("_channel", BindingFlags.Instance | BindingFlags.NonPublic);

    /// <summary>
    /// Sends SSH_MSG_CHANNEL_EOF on the channel of a started command (after <see cref="SshCommand.ExecuteAsync"/>). SSH.NET
    /// throws <see cref="InvalidOperationException"/> when the channel has closed (the command ended).
    /// </summary>
    public static void SendEof(SshCommand command)
    {
        var channel = ChannelField?.GetValue(command)
                      ?? throw new MissingMemberException(
                          $"{nameof(CommandChannel)}: SshCommand has no started channel in its '_channel' field (an SSH.NET other than 2026.0.0?); update it.");
        var sendEof = channel.GetType().GetMethod("SendEof", BindingFlags.Instance | BindingFlags.Public, Type.EmptyTypes)
                      ?? throw new MissingMemberException(
                          $"{nameof(CommandChannel)}: {channel.GetType().Name} has no public SendEof() (an SSH.NET other than 2026.0.0?); update it.");
        try
        {
            sendEof.Invoke(channel, null);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
        }
    }
}
