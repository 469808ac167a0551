namespace Cake.DoMarketplace.Ssh;

/// <summary>POSIX paths on the droplet.</summary>
internal static class RemotePath
{
    /// <summary>Throws unless <paramref name="path"/> is an absolute POSIX path without NUL or newline characters.</summary>
    public static void Validate(string path, string setting = "remote path")
    {
        if (string.IsNullOrWhiteSpace(path) || !path.StartsWith('/'))
        {
            throw new Diagnostics.DoSettingsException(setting, $"The {setting} '{path}' must be an absolute path on the droplet, such as /opt/app.");
        }

        if (path.IndexOfAny(['\0', '\n', '\r']) >= 0)
        {
            throw new Diagnostics.DoSettingsException(setting, $"The {setting} must not contain NUL or line break characters.");
        }
    }

    /// <summary>The parent folder of a path.</summary>
    public static string Parent(string path)
    {
        var trimmed = path.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        return slash <= 0 ? "/" : trimmed[..slash];
    }

    /// <summary>Joins a folder and a relative path.</summary>
    public static string Combine(string directory, string relative) =>
        directory.TrimEnd('/') + "/" + relative.TrimStart('/');
}
