using System.Security.Cryptography;

namespace Cake.DoMarketplace.Ssh;

/// <summary>
/// The proof that what comes back is a command's own output: the remote shell prints a line nobody else can know (random,
/// one per command) just before it runs the command. Output before the marker came from the login (a <c>.bashrc</c>
/// that prints); output without the marker is not the command's at all (sshd's <c>ForceCommand</c>, a <c>nologin</c>
/// shell, a droplet whose login answers "please wait") and is never read as its output.
/// </summary>
internal sealed class CommandMarker
{
    private CommandMarker(string line) => Line = line;

    /// <summary>The line the shell prints before the command.</summary>
    public string Line { get; }

    /// <summary>A marker no other command and no login can print.</summary>
    public static CommandMarker New() => new("cake-domarketplace-begin-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)));

    /// <summary>
    /// The command as sent: the marker's <c>printf</c> on a line of its own, then the command unchanged (so it parses as
    /// it would alone). <c>printf</c> is a builtin of every POSIX shell and of fish, and /usr/bin/printf elsewhere.
    /// </summary>
    public string Wrap(string command) => $"printf '%s\\n' '{Line}'\n{command}";
}
