using Cake.Core;
using Cake.Core.Annotations;
using Cake.Core.IO;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.FirstBoot;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace;

/// <summary>Remote commands and files.</summary>
public static partial class DoMarketplaceAliases
{
    /// <summary>
    /// Runs a shell command on the droplet as root, streaming its output into the Cake log line by line, each line
    /// prefixed with the droplet name. A non-zero exit status fails the alias. The command's standard input is closed
    /// (as with <c>ssh -n</c> and in Packer), so a command or a <c>.bashrc</c> that reads input gets end-of-file instead
    /// of waiting forever; a command silent for a minute is reported in the log (<see cref="RemoteCommandSettings.NoOutputNotice"/>).
    /// Its output is proven to be its own: a login that runs something else instead (sshd's <c>ForceCommand</c>) fails
    /// with <see cref="Ssh.RemoteCommandNotRunException"/>, never with that text as the command's output.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="command">The command, run by the remote login shell.</param>
    /// <returns>The exit status and captured output.</returns>
    /// <example>
    /// <code>
    /// DoRunRemote(droplet, "apt-get install -y nginx");
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='remote' or @name='command' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Remote)]
    [CakeNamespaceImport("Cake.DoMarketplace.Ssh")]
    public static RemoteCommandResult DoRunRemote(this ICakeContext context, BuildDroplet droplet, string command) =>
        context.DoRunRemote(droplet, command, new RemoteCommandSettings());

    /// <summary>Runs a shell command on the droplet; see <see cref="DoRunRemote(ICakeContext, BuildDroplet, string)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="command">The command.</param>
    /// <param name="settings">Exit status handling, timeout, logging, reboot.</param>
    /// <returns>The exit status and captured output.</returns>
    /// <example>
    /// <code>
    /// var probe = DoRunRemote(droplet, "systemctl is-active nginx", new RemoteCommandSettings { AllowNonZeroExit = true });
    /// DoRunRemote(droplet, "reboot", new RemoteCommandSettings { ExpectReboot = true });
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='remote' or @name='command' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Remote)]
    [CakeNamespaceImport("Cake.DoMarketplace.Ssh")]
    public static RemoteCommandResult DoRunRemote(this ICakeContext context, BuildDroplet droplet, string command, RemoteCommandSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        ArgumentNullException.ThrowIfNull(settings);
        CheckRemoteCommandSettings(settings);
        var session = Live(droplet).Session;
        return BuildCancellation.Run(t => session.RunAsync(command, settings, t));
    }

    /// <summary>Runs a shell command on the droplet; see <see cref="DoRunRemote(ICakeContext, BuildDroplet, string)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="command">The command.</param>
    /// <param name="configure">Sets exit status handling, timeout, logging, reboot.</param>
    /// <returns>The exit status and captured output.</returns>
    /// <example>
    /// <code>
    /// DoRunRemote(droplet, "make test", s => s.Timeout = TimeSpan.FromMinutes(10));
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='remote' or @name='command' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Remote)]
    [CakeNamespaceImport("Cake.DoMarketplace.Ssh")]
    public static RemoteCommandResult DoRunRemote(this ICakeContext context, BuildDroplet droplet, string command, Action<RemoteCommandSettings> configure) =>
        context.DoRunRemote(droplet, command, Configure(configure));

    /// <summary>
    /// Runs a local script file on the droplet: uploads it (CRLF converted to LF), runs it with its shebang as root,
    /// streams its output, and deletes it.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="script">The local script file, relative to the build.cake folder.</param>
    /// <returns>The exit status and captured output.</returns>
    /// <example>
    /// <code>
    /// DoRunRemoteScript(droplet, "./scripts/10-install-app.sh");
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='remote' or @name='command' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Remote)]
    [CakeNamespaceImport("Cake.DoMarketplace.Ssh")]
    public static RemoteCommandResult DoRunRemoteScript(this ICakeContext context, BuildDroplet droplet, FilePath script) =>
        context.DoRunRemoteScript(droplet, script, new RemoteCommandSettings());

    /// <summary>Runs a local script file on the droplet; see <see cref="DoRunRemoteScript(ICakeContext, BuildDroplet, FilePath)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="script">The local script file.</param>
    /// <param name="settings">Exit status handling, timeout, logging, reboot.</param>
    /// <returns>The exit status and captured output.</returns>
    /// <example>
    /// <code>
    /// DoRunRemoteScript(droplet, "./scripts/20-optional.sh", new RemoteCommandSettings { AllowNonZeroExit = true });
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='remote' or @name='command' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Remote)]
    [CakeNamespaceImport("Cake.DoMarketplace.Ssh")]
    public static RemoteCommandResult DoRunRemoteScript(this ICakeContext context, BuildDroplet droplet, FilePath script, RemoteCommandSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(settings);
        CheckRemoteCommandSettings(settings);
        var text = ScriptText.Load(context.FileSystem, script.MakeAbsolute(context.Environment), LineEndingHandling.Convert, "script");
        var session = Live(droplet).Session;
        return BuildCancellation.Run(t => session.RunScriptAsync(text.Content, settings.Describe(script.GetFilename().FullPath), t));
    }

    /// <summary>Runs a local script on the droplet; see <see cref="DoRunRemoteScript(ICakeContext, BuildDroplet, FilePath)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="script">The local script file.</param>
    /// <param name="configure">Sets exit status handling, timeout, logging, reboot.</param>
    /// <returns>The exit status and captured output.</returns>
    /// <example>
    /// <code>
    /// DoRunRemoteScript(droplet, "./scripts/30-kernel.sh", s => { s.ExpectReboot = true; s.Timeout = TimeSpan.FromMinutes(20); });
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='remote' or @name='command' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Remote)]
    [CakeNamespaceImport("Cake.DoMarketplace.Ssh")]
    public static RemoteCommandResult DoRunRemoteScript(this ICakeContext context, BuildDroplet droplet, FilePath script,
        Action<RemoteCommandSettings> configure) =>
        context.DoRunRemoteScript(droplet, script, Configure(configure));

    /// <summary>Uploads a local file to the droplet over SFTP, keeping its mode (0644 when the local system has none).</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="localFile">The local file.</param>
    /// <param name="remotePath">The absolute path on the droplet; missing folders are created.</param>
    /// <example>
    /// <code>
    /// DoUploadFile(droplet, "./files/etc/nginx/sites-available/default", "/etc/nginx/sites-available/default");
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='files' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Remote)]
    public static void DoUploadFile(this ICakeContext context, BuildDroplet droplet, FilePath localFile, string remotePath)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(localFile);
        RemotePath.Validate(remotePath, nameof(remotePath));
        var path = localFile.MakeAbsolute(context.Environment);
        var file = context.FileSystem.GetFile(path);
        if (!file.Exists)
        {
            throw new DoSettingsException(nameof(localFile), $"DoUploadFile: local file '{path}' does not exist.");
        }

        var mode = (OperatingSystem.IsWindows() ? null : file.UnixFileMode) ?? (UnixFileMode)Convert.ToInt32("644", 8);
        var session = Live(droplet).Session;
        BuildCancellation.Run(async t =>
        {
            Stream stream;
            try
            {
                stream = file.OpenRead();
            }
            catch (Exception e) when (LocalUploadSource.IsReadFailure(e))
            {
                throw new LocalFileUnreadableException(session.Label, path.FullPath, e);
            }

            await using (stream.ConfigureAwait(false))
            {
                await session.UploadAsync(stream, remotePath, mode, t).ConfigureAwait(false);
            }
        });
        Log(context).Info($"[{session.Label}] uploaded {path} to {remotePath}");
    }

    /// <summary>
    /// Copies a local folder tree to the droplet over SFTP, keeping file modes — the <c>files/</c> tree of a
    /// Marketplace app, for example, copied onto <c>/</c>.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="localDirectory">The local folder.</param>
    /// <param name="remoteDirectory">The absolute folder on the droplet to copy into.</param>
    /// <returns>How many files, folders and bytes were copied.</returns>
    /// <example>
    /// <code>
    /// DoUploadDirectory(droplet, "./files", "/");
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='files' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Remote)]
    [CakeNamespaceImport("Cake.DoMarketplace.Ssh")]
    public static UploadSummary DoUploadDirectory(this ICakeContext context, BuildDroplet droplet, DirectoryPath localDirectory, string remoteDirectory)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(localDirectory);
        RemotePath.Validate(remoteDirectory, nameof(remoteDirectory));
        var path = localDirectory.MakeAbsolute(context.Environment).FullPath;
        if (!context.FileSystem.DirectoryExists(path))
        {
            throw new DoSettingsException(nameof(localDirectory), $"DoUploadDirectory: local folder '{path}' does not exist.");
        }

        var session = Live(droplet).Session;
        var summary = BuildCancellation.Run(t => session.UploadDirectoryAsync(path, remoteDirectory, t));
        Log(context).Info($"[{session.Label}] uploaded {path} to {remoteDirectory}: {summary.Files} file(s), {summary.Bytes} bytes");
        return summary;
    }

    /// <summary>Writes text to a file on the droplet (UTF-8, no BOM), creating missing folders.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="remotePath">The absolute path on the droplet.</param>
    /// <param name="content">The text.</param>
    /// <param name="mode">The file mode as an octal string, such as <c>"644"</c> or <c>"755"</c>.</param>
    /// <example>
    /// <code>
    /// DoWriteRemoteFile(droplet, "/etc/myapp/version", "1.4.2\n", "644");
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='files' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Remote)]
    public static void DoWriteRemoteFile(this ICakeContext context, BuildDroplet droplet, string remotePath, string content, string mode)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(content);
        RemotePath.Validate(remotePath, nameof(remotePath));
        UnixFileMode parsed;
        try
        {
            parsed = (UnixFileMode)Convert.ToInt32(mode, 8);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            throw new DoSettingsException(nameof(mode), $"DoWriteRemoteFile: mode '{mode}' must be octal digits such as \"644\" or \"0755\".");
        }

        if ((int)parsed > Convert.ToInt32("7777", 8))
        {
            throw new DoSettingsException(nameof(mode), $"DoWriteRemoteFile: mode '{mode}' must be octal digits such as \"644\" or \"0755\".");
        }

        var session = Live(droplet).Session;
        BuildCancellation.Run(t => session.WriteTextAsync(remotePath, content, parsed, t));
        Log(context).Info($"[{session.Label}] wrote {remotePath} ({content.Length} characters, mode {mode})");
    }

    /// <summary>The durations of <see cref="RemoteCommandSettings"/>, checked before anything runs.</summary>
    private static void CheckRemoteCommandSettings(RemoteCommandSettings settings)
    {
        if (settings.Timeout is { } timeout)
        {
            SettingsRules.Positive(timeout, $"{nameof(RemoteCommandSettings)}.{nameof(settings.Timeout)}");
        }

        if (settings.NoOutputNotice is { } notice)
        {
            SettingsRules.Positive(notice, $"{nameof(RemoteCommandSettings)}.{nameof(settings.NoOutputNotice)}");
        }
    }
}
