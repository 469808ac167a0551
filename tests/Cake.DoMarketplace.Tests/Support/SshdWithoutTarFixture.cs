namespace Cake.DoMarketplace.Tests.Support;

/// <summary>
/// An sshd whose sessions find every command of /usr/bin, /usr/sbin, /bin and /sbin except <c>tar</c>: their PATH is a
/// folder of symlinks to all the others, as on a droplet image without tar.
/// </summary>
public sealed class SshdWithoutTarFixture : IDisposable
{
    private static readonly string[] CommandFolders = ["/usr/bin", "/usr/sbin", "/bin", "/sbin"];
    private readonly string commands;

    public SshdWithoutTarFixture()
    {
        commands = Directory.CreateTempSubdirectory("cdm-no-tar-").FullName;
        File.SetUnixFileMode(commands, (UnixFileMode)Convert.ToInt32("755", 8));
        foreach (var folder in CommandFolders.Where(Directory.Exists))
        {
            foreach (var command in Directory.EnumerateFileSystemEntries(folder))
            {
                var link = Path.Combine(commands, Path.GetFileName(command));
                if (Path.GetFileName(command) != "tar" && !Path.Exists(link))
                {
                    File.CreateSymbolicLink(link, command);
                }
            }
        }

        Sshd = new SshdFixture([$"SetEnv PATH={commands}"]);
    }

    public SshdFixture Sshd { get; }

    public void Dispose()
    {
        Sshd.Dispose();
        Directory.Delete(commands, recursive: true);
    }
}
