using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Packer;

/// <summary>
/// Runs a <see cref="ShellProvisioner"/> as Packer does: each script is uploaded to <c>remote_folder</c> (mode 0755),
/// run through <c>execute_command</c> with <c>{{.Vars}}</c> (<c>NAME='value' </c>, sorted, with
/// <c>PACKER_BUILD_NAME</c> and <c>PACKER_BUILDER_TYPE</c>) and <c>{{.Path}}</c>, checked against
/// <c>valid_exit_codes</c>, then deleted unless <c>skip_clean</c>. With <c>expect_disconnect</c>, a dropped connection
/// ends the script successfully and the session reconnects.
/// </summary>
internal sealed class ShellRun(ShellProvisioner shell, string buildName, TemplateExpressions expressions, ICakeLog log)
{
    private static readonly UnixFileMode Executable = (UnixFileMode)Convert.ToInt32("755", 8);

    public static TemplateExpressions.Place ExecutePlace(string field, string vars, string path) =>
        new(field, Fields: new Dictionary<string, string>(StringComparer.Ordinal) { ["Vars"] = vars, ["Path"] = path });

    /// <summary>The <c>{{.Vars}}</c> text: <c>NAME='value' </c> for each variable, sorted by name, quotes escaped for sh.</summary>
    public static string Vars(IEnumerable<KeyValuePair<string, string>> environment, string buildName)
    {
        var all = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["PACKER_BUILD_NAME"] = buildName,
            ["PACKER_BUILDER_TYPE"] = DigitalOceanBuilder.Type,
        };
        foreach (var (name, value) in environment)
        {
            all[name] = value;
        }

        var text = new StringBuilder();
        foreach (var (name, value) in all)
        {
            text.Append(name).Append('=').Append(ShellQuote.Quote(value)).Append(' ');
        }

        return text.ToString();
    }

    public async Task<string?> RunAsync(IRemoteSession session, CancellationToken cancellationToken)
    {
        var vars = Vars(shell.Environment, buildName);
        foreach (var (name, content) in shell.Scripts)
        {
            var file = shell.RemoteFile ?? $"script_{RandomNumberGenerator.GetInt32(10000).ToString("D4", CultureInfo.InvariantCulture)}.sh";
            var remote = RemotePath.Combine(shell.RemoteFolder, file);
            log.Info($"[{session.Label}] provisioning with shell script: {name}");
            await session.WriteTextAsync(remote, content, Executable, cancellationToken).ConfigureAwait(false);
            var command = expressions.Evaluate(shell.ExecuteCommand, ExecutePlace(shell.ExecuteCommandField, vars, remote));
            await RunScriptAsync(session, command, name, cancellationToken).ConfigureAwait(false);
            if (!shell.SkipClean)
            {
                await RemoveAsync(session, remote, cancellationToken).ConfigureAwait(false);
            }
        }

        return null;
    }

    private async Task RunScriptAsync(IRemoteSession session, string command, string name, CancellationToken cancellationToken)
    {
        // The provisioner's timeout bounds the whole provisioner, every script of it (PackerImageBuild.RunWithinAsync).
        var settings = new RemoteCommandSettings { AllowNonZeroExit = true, Description = $"shell script {name}" };
        RemoteCommandResult result;
        try
        {
            result = await session.RunAsync(command, settings, cancellationToken).ConfigureAwait(false);
        }
        catch (RemoteConnectionLostException) when (shell.ExpectDisconnect)
        {
            log.Info($"[{session.Label}] the connection dropped, as expect_disconnect allows; reconnecting");
            await session.ReconnectAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!shell.ValidExitCodes.Contains(result.ExitStatus))
        {
            throw new RemoteCommandException(session.Label, result);
        }
    }

    private async Task RemoveAsync(IRemoteSession session, string remote, CancellationToken cancellationToken)
    {
        try
        {
            await session.RunAsync($"rm -f {ShellQuote.Quote(remote)}", new RemoteCommandSettings { AllowNonZeroExit = true, LogOutput = false },
                cancellationToken).ConfigureAwait(false);
        }
        catch (DoMarketplaceException e) when (shell.ExpectDisconnect)
        {
            log.Warn($"[{session.Label}] could not remove {remote} after the disconnect: {SecretRedactor.Redact(e.Message)}");
        }
    }
}
