using System.Text;
using Cake.Core.IO;

namespace Cake.DoMarketplace.Diagnostics;

/// <summary>
/// Whole-file reads and writes through Cake's <see cref="IFileSystem"/>, the one way the addin touches local files, so
/// that a build script's file system (or a test's fake) is the one used. Text is UTF-8 without a byte order mark.
/// </summary>
internal static class LocalFiles
{
    private static readonly UTF8Encoding Utf8 = new(false);

    public static bool FileExists(this IFileSystem files, FilePath path) => files.GetFile(path).Exists;

    public static bool DirectoryExists(this IFileSystem files, DirectoryPath path) => files.GetDirectory(path).Exists;

    public static byte[] ReadAllBytes(this IFileSystem files, FilePath path)
    {
        using var stream = files.GetFile(path).OpenRead();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>The file's text as UTF-8 (a byte order mark, if any, dropped).</summary>
    public static string ReadAllText(this IFileSystem files, FilePath path)
    {
        using var reader = new StreamReader(files.GetFile(path).OpenRead(), Utf8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>Writes <paramref name="text"/> as the whole file, replacing what was there.</summary>
    public static void WriteAllText(this IFileSystem files, FilePath path, string text) => Write(files, path, text, FileMode.Create);

    /// <summary>Adds <paramref name="text"/> at the end of the file, which is made when missing.</summary>
    public static void AppendAllText(this IFileSystem files, FilePath path, string text) => Write(files, path, text, FileMode.Append);

    /// <summary>Makes the folder and its parents when missing.</summary>
    public static void CreateDirectory(this IFileSystem files, DirectoryPath path)
    {
        var directory = files.GetDirectory(path);
        if (!directory.Exists)
        {
            directory.Create();
        }
    }

    private static void Write(IFileSystem files, FilePath path, string text, FileMode mode)
    {
        using var stream = files.GetFile(path).Open(mode, FileAccess.Write, FileShare.None);
        var bytes = Utf8.GetBytes(text);
        stream.Write(bytes, 0, bytes.Length);
    }
}
