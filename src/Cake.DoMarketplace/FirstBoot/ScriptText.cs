using System.Text;
using Cake.Core.IO;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.FirstBoot;

/// <summary>A script read from disk and checked: not empty, starts with a shebang, LF line endings.</summary>
internal sealed record ScriptText(string Content, int ConvertedLineEndings)
{
    /// <summary>Reads the script at <paramref name="path"/> (absolute) from <paramref name="files"/> and checks it.</summary>
    public static ScriptText Load(IFileSystem files, FilePath path, LineEndingHandling lineEndings, string setting)
    {
        if (!files.FileExists(path))
        {
            throw new DoSettingsException(setting,
                $"{setting}: script file '{path}' does not exist. Check the path (relative paths start at the build.cake folder).");
        }

        var bytes = files.ReadAllBytes(path);
        return Check(Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF'), path.FullPath, lineEndings, setting);
    }

    public static ScriptText Check(string content, string origin, LineEndingHandling lineEndings, string setting)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            throw new DoSettingsException(setting, $"{setting}: script '{origin}' is empty; a first-boot script needs at least a shebang line and a command.");
        }

        var crlf = CountCrlf(content);
        if (crlf > 0)
        {
            if (lineEndings == LineEndingHandling.Reject)
            {
                throw new DoSettingsException(setting,
                    $"{setting}: script '{origin}' has Windows line endings (CRLF) on {crlf} line(s); bash would fail with '$'\\r': command not found'. Save "
                        + "it with LF endings (add '*.sh text eol=lf' to .gitattributes) or allow conversion.");
            }

            content = content.Replace("\r\n", "\n", StringComparison.Ordinal);
        }

        if (!content.StartsWith("#!", StringComparison.Ordinal))
        {
            throw new DoSettingsException(setting,
                $"{setting}: script '{origin}' does not start with a shebang line such as '#!/bin/bash'; cloud-init executes it directly and needs one.");
        }

        return new ScriptText(content.EndsWith('\n') ? content : content + "\n", crlf);
    }

    private static int CountCrlf(string content)
    {
        var count = 0;
        for (var i = content.IndexOf("\r\n", StringComparison.Ordinal); i >= 0; i = content.IndexOf("\r\n", i + 2, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
