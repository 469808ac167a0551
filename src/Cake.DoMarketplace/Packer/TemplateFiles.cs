using Cake.Core.IO;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Packer;

/// <summary>
/// The local files a template names (scripts, <c>user_data_file</c>, <c>file</c> sources): paths relative to the
/// template's working directory, read through the build script's <see cref="IFileSystem"/>.
/// </summary>
internal sealed class TemplateFiles(IFileSystem files, string workingDirectory)
{
    /// <summary>The absolute path of <paramref name="path"/>, as Packer resolves it from its working directory.</summary>
    public string FullPath(string path) => System.IO.Path.GetFullPath(path, workingDirectory); // string work only: the disk is not read

    public bool FileExists(string fullPath) => files.FileExists(fullPath);

    public bool DirectoryExists(string fullPath) => files.DirectoryExists(fullPath);

    /// <summary>The file's text (UTF-8), or null when there is no such file.</summary>
    public string? ReadText(string fullPath) => files.FileExists(fullPath) ? files.ReadAllText(fullPath) : null;
}
