namespace Cake.DoMarketplace.Tests.Ssh;

/// <summary>A local folder for upload tests, deleted with the instance; modes given in octal.</summary>
internal sealed class UploadTree : IDisposable
{
    public UploadTree()
    {
        Root = Directory.CreateTempSubdirectory("cdm-upload-").FullName;
    }

    public string Root { get; }

    public static UnixFileMode Mode(string octal) => (UnixFileMode)Convert.ToInt32(octal, 8);

    public static string ModeOf(string path) => Convert.ToString((int)System.IO.File.GetUnixFileMode(path), 8);

    public string File(string relative, string content, string mode = "644")
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        System.IO.File.SetUnixFileMode(path, Mode(mode));
        return path;
    }

    public string Folder(string relative, string mode = "755")
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(path);
        System.IO.File.SetUnixFileMode(path, Mode(mode));
        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
