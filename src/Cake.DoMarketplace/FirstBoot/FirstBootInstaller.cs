using System.Text.RegularExpressions;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.FirstBoot;

/// <summary>
/// Puts first-boot scripts, the first-login script and the MOTD where the Marketplace guide says, checked for the
/// mistakes that silently break them on a customer's droplet. Local scripts are read through <paramref name="files"/>.
/// </summary>
internal sealed partial class FirstBootInstaller(IRemoteSession session, IFileSystem files, ICakeLog log)
{
    public const string FirstLoginTail = "cp -f /etc/skel/.bashrc /root/.bashrc";
    private static readonly UnixFileMode Executable = (UnixFileMode)Convert.ToInt32("755", 8);

    [GeneratedRegex("^[0-9]+[-_][A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex OrderedScriptName();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex PlainName();

    /// <summary>The line appended to /root/.bashrc: runs the script in interactive shells only.</summary>
    public static string HookLine(string script) => $"case $- in *i*) {script} ;; esac";

    public static string CheckStageScriptName(string name, string setting)
    {
        if (name.Contains('/') || name.Contains('\\') || name is "." or "..")
        {
            throw new DoSettingsException(setting, $"{setting} '{name}' must be a file name, not a path: the folder is chosen by the stage.");
        }

        if (!OrderedScriptName().IsMatch(name))
        {
            throw new DoSettingsException(setting,
                $"{setting} '{name}' needs a numeric order prefix, like '01-{PlainName().Match(name).Value.TrimStart('-')}' — cloud-init runs the folder's "
                    + "scripts in alphanumeric order. Rename the file or set FirstBootScriptSettings.Name.");
        }

        return name;
    }

    public static string CheckPlainName(string name, string setting, string example)
    {
        if (string.IsNullOrWhiteSpace(name) || !PlainName().IsMatch(name))
        {
            throw new DoSettingsException(setting,
                $"{setting} '{name}' must be a plain name of letters, digits, '.', '_' or '-' (no '/' or spaces), for example '{example}'.");
        }

        return name;
    }

    public async Task<string> InstallStageScriptAsync(string localPath, FirstBootStage stage, FirstBootScriptSettings settings,
        CancellationToken cancellationToken)
    {
        var name = CheckStageScriptName(settings.Name ?? System.IO.Path.GetFileName(localPath), $"{nameof(FirstBootScriptSettings)}.{nameof(settings.Name)}");
        var script = ScriptText.Load(files, localPath, settings.LineEndings, "script");
        var target = $"{stage.Directory()}/{name}";
        await session.WriteTextAsync(target, script.Content, Executable, cancellationToken).ConfigureAwait(false);
        log.Info($"[{session.Label}] installed {stage} script {target}{Converted(script)}");
        return target;
    }

    public async Task<string> InstallFirstLoginScriptAsync(string localPath, FirstLoginScriptSettings settings, CancellationToken cancellationToken)
    {
        var company = CheckPlainName(settings.Company ?? string.Empty, $"{nameof(FirstLoginScriptSettings)}.{nameof(settings.Company)}", "mycompany");
        var name = CheckPlainName(settings.Name ?? System.IO.Path.GetFileNameWithoutExtension(localPath),
            $"{nameof(FirstLoginScriptSettings)}.{nameof(settings.Name)}", "setup");
        var script = ScriptText.Load(files, localPath, settings.LineEndings, "script");
        var content = script.Content;
        if (!content.TrimEnd().EndsWith(FirstLoginTail, StringComparison.Ordinal))
        {
            // Restoring the stock .bashrc is what removes the hook, so the script runs on the first login only.
            content += FirstLoginTail + "\n";
            log.Detail($"[{session.Label}] appended '{FirstLoginTail}' to the first-login script");
        }

        var target = $"/opt/{company}/{name}.sh";
        await session.WriteTextAsync(target, content, Executable, cancellationToken).ConfigureAwait(false);
        // Only interactive shells run it: bash also reads /root/.bashrc for commands sent over SSH (Debian and Ubuntu
        // build it with SSH_SOURCE_BASHRC), so a bare hook would fire at the build's next command — and remove itself
        // from the image — or at a customer's first scp.
        await session.RunBashAsync(
            """grep -qxF "$HOOK" /root/.bashrc 2>/dev/null || printf '%s\n' "$HOOK" >> /root/.bashrc""",
            new Dictionary<string, string> { ["HOOK"] = HookLine(target) },
            new RemoteCommandSettings { LogOutput = false },
            cancellationToken).ConfigureAwait(false);
        log.Info($"[{session.Label}] installed first-login script {target} (run from /root/.bashrc){Converted(script)}");
        return target;
    }

    public async Task<string> SetMotdAsync(string name, string text, CancellationToken cancellationToken)
    {
        CheckPlainName(name, "MOTD name", "myapp");
        var marker = "MOTD_END";
        while (text.Split('\n').Any(l => l.TrimEnd('\r') == marker))
        {
            marker += "_";
        }

        var body = text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n');
        var script = $"#!/bin/sh\ncat <<'{marker}'\n{body}\n{marker}\n";
        var target = $"/etc/update-motd.d/99-{name}";
        await session.WriteTextAsync(target, script, Executable, cancellationToken).ConfigureAwait(false);
        log.Info($"[{session.Label}] installed MOTD {target} ({body.Split('\n').Length} line(s))");
        return target;
    }

    private static string Converted(ScriptText script) =>
        script.ConvertedLineEndings > 0 ? $"; converted {script.ConvertedLineEndings} CRLF line ending(s) to LF" : string.Empty;
}
