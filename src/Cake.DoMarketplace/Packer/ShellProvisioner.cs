using System.Text;
using System.Text.RegularExpressions;

namespace Cake.DoMarketplace.Packer;

/// <summary>
/// A <c>shell</c> provisioner, read and checked: its scripts (the <c>inline</c> lines as one script with the shebang, or
/// the <c>script</c>/<c>scripts</c> files, loaded now, CRLF made LF unless <c>binary</c>), its environment and how to run them.
/// </summary>
internal sealed partial record ShellProvisioner(
    string Title,
    IReadOnlyList<(string Name, string Content)> Scripts,
    IReadOnlyList<KeyValuePair<string, string>> Environment,
    string ExecuteCommand,
    string ExecuteCommandField,
    bool ExpectDisconnect,
    IReadOnlyList<int> ValidExitCodes,
    bool SkipClean,
    string RemoteFolder,
    string? RemoteFile,
    ProvisionerTiming Timing)
{
    public const string Type = "shell";

    /// <summary>Packer's default for Linux: make the script executable, then run it with the variables in front.</summary>
    public const string DefaultExecuteCommand = "chmod +x {{.Path}}; {{.Vars}} {{.Path}}";

    private static readonly string[] Fields =
    [
        .. ProvisionerTiming.Fields, "inline", "script", "scripts", "environment_vars", "execute_command", "expect_disconnect",
        "valid_exit_codes", "skip_clean", "inline_shebang", "remote_folder", "remote_file", "binary",
    ];

    private static readonly string[] Sources = ["inline", "script", "scripts"];

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();

    public static ShellProvisioner Read(TemplateObject shell, TemplateFiles localFiles, TemplateExpressions expressions)
    {
        var error = shell.Error;
        shell.RefuseUnknown(Fields);
        var given = Sources.Where(shell.Has).ToList();
        if (given.Count != 1)
        {
            throw error.At(shell.Path, given.Count == 0
                ? "has none of inline, script and scripts; as in Packer, give exactly one"
                : $"has {string.Join(" and ", given)}; as in Packer, give exactly one of inline, script and scripts");
        }

        var binary = shell.Bool("binary") == true;
        string Text(string content) => binary ? content : content.Replace("\r\n", "\n", StringComparison.Ordinal);
        var scripts = new List<(string, string)>();
        string title;
        if (given[0] == "inline")
        {
            var shebang = shell.String("inline_shebang") ?? "/bin/sh -e";
            scripts.Add(("inline", $"#!{shebang}\n{string.Join('\n', shell.Strings("inline"))}\n"));
            title = $"{shell.Strings("inline").Count} inline command(s)";
        }
        else
        {
            var files = given[0] == "script" ? [shell.String("script")!] : shell.Strings("scripts");
            for (var index = 0; index < files.Count; index++)
            {
                var path = localFiles.FullPath(files[index]);
                var field = given[0] == "script" ? shell.Field("script") : $"{shell.Field("scripts")}[{index}]";
                scripts.Add(localFiles.ReadText(path) is { } content ? (files[index], Text(content))
                    : throw error.At(field, $"names '{path}', which does not exist"));
            }

            title = string.Join(", ", files);
        }

        var environment = new List<KeyValuePair<string, string>>();
        var variables = shell.Strings("environment_vars");
        for (var index = 0; index < variables.Count; index++)
        {
            var equals = variables[index].IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? variables[index][..equals] : string.Empty;
            environment.Add(VariableName().IsMatch(name)
                ? new(name, variables[index][(equals + 1)..])
                : throw error.At($"{shell.Field("environment_vars")}[{index}]", $"'{variables[index]}' is not NAME=value with a valid variable name"));
        }

        var executeCommand = shell.Raw("execute_command") ?? DefaultExecuteCommand;
        // Refused now, not on the droplet.
        expressions.Evaluate(executeCommand, ShellRun.ExecutePlace(shell.Field("execute_command"), "VARS", "/tmp/script.sh"));
        var remoteFolder = shell.String("remote_folder") ?? "/tmp";
        if (!remoteFolder.StartsWith('/'))
        {
            throw error.At(shell.Field("remote_folder"), $"'{remoteFolder}' must be an absolute folder on the droplet, such as /tmp");
        }

        var remoteFile = shell.String("remote_file");
        if (remoteFile is not null && (remoteFile.Contains('/', StringComparison.Ordinal) || remoteFile.Length == 0))
        {
            throw error.At(shell.Field("remote_file"), $"'{remoteFile}' must be a file name without '/'");
        }

        var exitCodes = shell.Has("valid_exit_codes") ? shell.Integers("valid_exit_codes") : [0];
        return new ShellProvisioner(
            title,
            scripts,
            environment,
            executeCommand,
            shell.Field("execute_command"),
            shell.Bool("expect_disconnect") == true,
            exitCodes,
            shell.Bool("skip_clean") == true,
            remoteFolder.TrimEnd('/') is { Length: > 0 } folder ? folder : "/",
            remoteFile,
            ProvisionerTiming.Read(shell));
    }
}
