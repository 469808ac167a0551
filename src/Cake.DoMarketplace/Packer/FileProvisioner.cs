namespace Cake.DoMarketplace.Packer;

/// <summary>
/// A <c>file</c> provisioner, read and checked: each local source (which must exist now) with where it lands on the
/// droplet, by Packer's rules (see <see cref="Plan"/>), or inline <c>content</c> written to <c>destination</c>.
/// Uploads only: <c>direction: download</c> is refused.
/// </summary>
internal sealed record FileProvisioner(string Title, IReadOnlyList<FileUpload> Uploads, string? Content, string Destination, ProvisionerTiming Timing)
{
    public const string Type = "file";

    private static readonly string[] Fields = [.. ProvisionerTiming.Fields, "source", "sources", "destination", "content", "direction", "generated"];

    public static FileProvisioner Read(TemplateObject file, TemplateFiles localFiles)
    {
        var error = file.Error;
        file.RefuseUnknown(Fields);
        if (file.String("direction") is { } direction && direction != "upload")
        {
            throw error.Unsupported(file.Field("direction"), direction, ["upload"]);
        }

        if (file.Bool("generated") == true)
        {
            throw error.At(file.Field("generated"),
                "is true: the addin checks every source before the build droplet exists; make the file before the build and remove 'generated'");
        }

        var destination = file.String("destination") is { Length: > 0 } given
            ? (given.StartsWith('/') ? given : "/root/" + given) // relative to root's home, where Packer's SSH session starts
            : throw error.At(file.Field("destination"), "is required (the path on the droplet)");
        var sources = file.Has("source") ? [file.String("source")!] : file.Strings("sources");
        var count = (file.Has("source") ? 1 : 0) + (file.Has("sources") ? 1 : 0) + (file.Has("content") ? 1 : 0);
        if (count != 1)
        {
            throw error.At(file.Path, "needs exactly one of source, sources and content");
        }

        if (file.String("content") is { } content)
        {
            return new FileProvisioner($"content -> {destination}", [], content, destination, ProvisionerTiming.Read(file));
        }

        var uploads = new List<FileUpload>();
        for (var index = 0; index < sources.Count; index++)
        {
            var field = file.Has("source") ? file.Field("source") : $"{file.Field("sources")}[{index}]";
            var path = localFiles.FullPath(sources[index]);
            var isDirectory = localFiles.DirectoryExists(path);
            if (!isDirectory && !localFiles.FileExists(path))
            {
                throw error.At(field, $"names '{path}', which does not exist");
            }

            uploads.Add(
                Plan(path, isDirectory, sources[index].EndsWith('/'), sources.Count > 1 && !destination.EndsWith('/') ? destination + "/" : destination));
        }

        return new FileProvisioner($"{string.Join(", ", sources)} -> {destination}", uploads, null, destination, ProvisionerTiming.Read(file));
    }

    /// <summary>
    /// Packer's rules: a file goes to <paramref name="destination"/>, or into it when it ends with <c>/</c>; a folder
    /// written with a trailing slash (<c>files/etc/</c>) copies its contents into <paramref name="destination"/>, one
    /// without (<c>files/etc</c>) copies the folder itself, as <c>destination/etc</c>.
    /// </summary>
    public static FileUpload Plan(string localPath, bool isDirectory, bool trailingSlash, string destination)
    {
        var name = Path.GetFileName(localPath.TrimEnd('/', Path.DirectorySeparatorChar));
        if (!isDirectory)
        {
            return new FileUpload(localPath, false, destination.EndsWith('/') ? destination + name : destination);
        }

        var folder = destination.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : "/";
        return new FileUpload(localPath, true, trailingSlash ? folder : Ssh.RemotePath.Combine(folder, name));
    }
}

/// <summary>One local file or folder and the remote path it becomes (a folder's contents go under it).</summary>
internal sealed record FileUpload(string LocalPath, bool IsDirectory, string RemotePath);
