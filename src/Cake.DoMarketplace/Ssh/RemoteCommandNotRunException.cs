namespace Cake.DoMarketplace.Ssh;

/// <summary>
/// The SSH login did not run the command: the remote shell never printed the marker it prints just before every
/// command, so what came back is not the command's output, and nothing of it is used. sshd's <c>ForceCommand</c> (a
/// <c>Match</c> block in sshd_config), a login shell that runs no commands (<c>nologin</c>) or a login answered with a
/// "please wait" message do this.
/// </summary>
/// <param name="label">The machine, as named in the log.</param>
/// <param name="command">The command, in one short line.</param>
/// <param name="answer">What the login printed instead, quoted, with its exit status.</param>
public sealed class RemoteCommandNotRunException(string label, string command, string answer)
    : DoMarketplaceException($"The SSH login on {label} did not run the command {command}: the shell did not print the marker it prints before every " +
                             $"command, so what came back is not the command's output and is not used. The login answered {answer}. sshd's ForceCommand " +
                             "(a Match block in sshd_config), a login shell that runs no commands (nologin) or a droplet not ready for logins do this.")
{
    /// <summary>The machine, as named in the log.</summary>
    public string Label { get; } = label;

    /// <summary>What the login printed instead of running the command, quoted, with its exit status.</summary>
    public string Answer { get; } = answer;
}
