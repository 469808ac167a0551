using System.Collections.Concurrent;
using Cake.Core.IO;
using Path = Cake.Core.IO.Path;

namespace Cake.DoMarketplace.Tests.Support;

/// <summary>
/// Cake's <see cref="IFileSystem"/> held in memory (Cake.Testing's fakes are not served here): files by absolute path,
/// folders made explicitly or by the files in them. What it records is what a test asserts on, so it never touches the disk.
/// </summary>
public sealed class InMemoryFileSystem : IFileSystem
{
    private readonly ConcurrentDictionary<string, byte[]> files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, UnixFileMode> modes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> folders = new(StringComparer.Ordinal);

    /// <summary>Every path opened for reading, in order.</summary>
    public ConcurrentQueue<string> Reads { get; } = new();

    public IReadOnlyCollection<string> Files => [.. files.Keys];

    public IReadOnlyCollection<string> Folders => [.. folders.Keys];

    public void Write(string path, string text, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        files[path] = System.Text.Encoding.UTF8.GetBytes(text);
        modes[path] = mode;
        for (var folder = System.IO.Path.GetDirectoryName(path); !string.IsNullOrEmpty(folder); folder = System.IO.Path.GetDirectoryName(folder))
        {
            folders[folder] = true;
        }
    }

    public string Text(string path) => System.Text.Encoding.UTF8.GetString(files[path]);

    public IFile GetFile(FilePath path) => new FakeFile(this, path);

    public IDirectory GetDirectory(DirectoryPath path) => new FakeDirectory(this, path);

    public IFileSystemInfo GetFileSystemInfo(Path path) => path is DirectoryPath d ? GetDirectory(d) : GetFile((FilePath)path);

    private sealed class FakeFile(InMemoryFileSystem owner, FilePath path) : IFile
    {
        public FilePath Path { get; } = path;

        Path IFileSystemInfo.Path => Path;

        public bool Exists => owner.files.ContainsKey(Path.FullPath);

        public bool Hidden => false;

        public long Length => owner.files[Path.FullPath].Length;

        public FileAttributes Attributes { get; set; } = FileAttributes.Normal;

        public DateTime? LastWriteTimeUtc => null;

        public DateTime? CreationTimeUtc => null;

        public DateTime? LastAccessTimeUtc => null;

        public UnixFileMode? UnixFileMode => owner.modes.TryGetValue(Path.FullPath, out var mode) ? mode : null;

        public void Copy(FilePath destination, bool overwrite) => owner.files[destination.FullPath] = owner.files[Path.FullPath];

        public void Move(FilePath destination)
        {
            Copy(destination, true);
            Delete();
        }

        public void Delete() => owner.files.TryRemove(Path.FullPath, out _);

        public Stream Open(FileMode fileMode, FileAccess fileAccess, FileShare fileShare)
        {
            var key = Path.FullPath;
            var folder = System.IO.Path.GetDirectoryName(key)!;
            if (!owner.folders.ContainsKey(folder))
            {
                throw new DirectoryNotFoundException($"Could not find a part of the path '{key}'.");
            }

            var exists = owner.files.TryGetValue(key, out var content);
            if (!exists && fileMode is FileMode.Open or FileMode.Truncate)
            {
                throw new FileNotFoundException($"Could not find file '{key}'.", key);
            }

            if (fileAccess == FileAccess.Read)
            {
                owner.Reads.Enqueue(key);
                return new MemoryStream(content!, writable: false);
            }

            var stream = new CommitStream(bytes => owner.files[key] = bytes);
            if (exists && fileMode is FileMode.Append or FileMode.OpenOrCreate or FileMode.Open)
            {
                stream.Write(content!);
            }
            else
            {
                owner.files[key] = []; // as on disk, the file exists from its opening
            }

            return stream;
        }

        public IFile SetCreationTime(DateTime creationTime) => this;

        public IFile SetCreationTimeUtc(DateTime creationTimeUtc) => this;

        public IFile SetLastAccessTime(DateTime lastAccessTime) => this;

        public IFile SetLastAccessTimeUtc(DateTime lastAccessTimeUtc) => this;

        public IFile SetLastWriteTime(DateTime lastWriteTime) => this;

        public IFile SetLastWriteTimeUtc(DateTime lastWriteTimeUtc) => this;

        public IFile SetUnixFileMode(UnixFileMode unixFileMode)
        {
            owner.modes[Path.FullPath] = unixFileMode;
            return this;
        }
    }

    private sealed class FakeDirectory(InMemoryFileSystem owner, DirectoryPath path) : IDirectory
    {
        public DirectoryPath Path { get; } = path;

        Path IFileSystemInfo.Path => Path;

        public bool Exists => owner.folders.ContainsKey(Path.FullPath);

        public bool Hidden => false;

        public DateTime? LastWriteTimeUtc => null;

        public DateTime? CreationTimeUtc => null;

        public DateTime? LastAccessTimeUtc => null;

        public UnixFileMode? UnixFileMode => null;

        public void Create()
        {
            for (var folder = Path.FullPath; !string.IsNullOrEmpty(folder); folder = System.IO.Path.GetDirectoryName(folder))
            {
                owner.folders[folder] = true;
            }
        }

        public void Move(DirectoryPath destination) => throw new NotSupportedException("not needed by the addin");

        public void Delete(bool recursive) => owner.folders.TryRemove(Path.FullPath, out _);

        public IEnumerable<IDirectory> GetDirectories(string filter, SearchScope scope) => throw new NotSupportedException("not needed by the addin");

        public IEnumerable<IFile> GetFiles(string filter, SearchScope scope)
        {
            var pattern = "^" + System.Text.RegularExpressions.Regex.Escape(filter).Replace("\\*", "[^/]*", StringComparison.Ordinal) + "$";
            return owner.files.Keys
                .Where(f => (scope == SearchScope.Recursive ? f.StartsWith(Path.FullPath + "/", StringComparison.Ordinal)
                    : System.IO.Path.GetDirectoryName(f) == Path.FullPath)
                    && System.Text.RegularExpressions.Regex.IsMatch(System.IO.Path.GetFileName(f), pattern))
                .Select(f => (IFile)new FakeFile(owner, f))
                .ToList();
        }

        public IEnumerable<IFileSystemInfo> GetFileSystemInfos(string filter, SearchScope scope) => GetFiles(filter, scope);

        public IDirectory SetCreationTime(DateTime creationTime) => this;

        public IDirectory SetCreationTimeUtc(DateTime creationTimeUtc) => this;

        public IDirectory SetLastAccessTime(DateTime lastAccessTime) => this;

        public IDirectory SetLastAccessTimeUtc(DateTime lastAccessTimeUtc) => this;

        public IDirectory SetLastWriteTime(DateTime lastWriteTime) => this;

        public IDirectory SetLastWriteTimeUtc(DateTime lastWriteTimeUtc) => this;

        public IDirectory SetUnixFileMode(UnixFileMode unixFileMode) => this;
    }

    /// <summary>A written file lands when its stream is closed, as on disk.</summary>
    private sealed class CommitStream(Action<byte[]> commit) : MemoryStream
    {
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                commit(ToArray());
            }

            base.Dispose(disposing);
        }
    }
}
