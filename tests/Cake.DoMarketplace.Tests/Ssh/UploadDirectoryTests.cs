using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Ssh;

/// <summary>Folder uploads through GNU tar on the (real) sshd: what arrives, and what on the remote side is left alone.</summary>
[Trait("Category", "Integration")]
public sealed class UploadDirectoryTests(SshdFixture sshd) : IClassFixture<SshdFixture>
{
    private string NewRemote(string name) => Path.Combine(sshd.WorkFolder, name + "-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task Modes_setuid_setgid_sticky_and_private_folders_arrive_exactly_with_the_contents()
    {
        using var tree = new UploadTree();
        tree.File("bin/su-helper", "#!/bin/sh\n", "4755");
        tree.File("bin/group-helper", "#!/bin/sh\necho g\n", "2750");
        tree.File("secret/key", "k", "600");
        tree.Folder("secret", "700");
        tree.Folder("shared", "1777");
        tree.File("shared/readme", "hello\n", "444");
        var log = new RecordingLog();
        using var session = await SshRemoteSession.ConnectAsync(sshd.Options("modes"), log);
        var remote = NewRemote("modes");

        var summary = await session.UploadDirectoryAsync(tree.Root, remote);

        Assert.Equal(new UploadSummary(4, 4, 10 + 17 + 1 + 6), summary);
        Assert.Equal("4755", UploadTree.ModeOf(Path.Combine(remote, "bin/su-helper")));
        Assert.Equal("2750", UploadTree.ModeOf(Path.Combine(remote, "bin/group-helper")));
        Assert.Equal("600", UploadTree.ModeOf(Path.Combine(remote, "secret/key")));
        Assert.Equal("700", UploadTree.ModeOf(Path.Combine(remote, "secret")));
        Assert.Equal("1777", UploadTree.ModeOf(Path.Combine(remote, "shared")));
        Assert.Equal("444", UploadTree.ModeOf(Path.Combine(remote, "shared/readme")));
        Assert.Equal("#!/bin/sh\necho g\n", File.ReadAllText(Path.Combine(remote, "bin/group-helper")));
        Assert.Contains($"[modes] uploaded {tree.Root} to {remote}: 4 file(s), 4 folder(s), 34 bytes", log.AllText);
        Assert.DoesNotContain("SFTP", log.AllText);
    }

    [Fact]
    public async Task Names_with_spaces_quotes_unicode_and_long_paths_arrive_unchanged()
    {
        using var tree = new UploadTree();
        var longName = new string('n', 120) + ".txt";
        string[] names = ["with space/it's a \"file\".txt", "ünïcødé ☃/日本語.txt", "$(touch pwned)/`x`;y.txt", $"deep/{new string('d', 90)}/{longName}"];
        foreach (var name in names)
        {
            tree.File(name, name);
        }

        using var session = await SshRemoteSession.ConnectAsync(sshd.Options(), new RecordingLog());
        var remote = NewRemote("names 'quoted' ü");

        var summary = await session.UploadDirectoryAsync(tree.Root, remote);

        Assert.Equal(names.Length, summary.Files);
        foreach (var name in names)
        {
            Assert.Equal(name, File.ReadAllText(Path.Combine(remote, name)));
        }

        Assert.False(File.Exists(Path.Combine(sshd.WorkFolder, "pwned")));
    }

    [Fact]
    public async Task Empty_folders_are_created_and_the_target_folder_keeps_its_own_mode()
    {
        using var tree = new UploadTree();
        tree.Folder("empty", "750");
        tree.Folder("outer/inner-empty", "755");
        var remote = NewRemote("empty");
        Directory.CreateDirectory(remote);
        File.SetUnixFileMode(remote, UploadTree.Mode("711"));
        using var session = await SshRemoteSession.ConnectAsync(sshd.Options(), new RecordingLog());

        var summary = await session.UploadDirectoryAsync(tree.Root, remote);

        Assert.Equal(new UploadSummary(0, 4, 0), summary);
        Assert.Equal("750", UploadTree.ModeOf(Path.Combine(remote, "empty")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(remote, "outer", "inner-empty")));
        Assert.Equal("711", UploadTree.ModeOf(remote));
    }

    [Fact]
    public async Task Symlinks_are_followed_a_link_to_a_file_arrives_as_the_file_and_a_link_to_a_folder_as_a_folder()
    {
        using var tree = new UploadTree();
        tree.File("real/script.sh", "#!/bin/sh\n", "750");
        File.CreateSymbolicLink(Path.Combine(tree.Root, "script-link"), "real/script.sh");
        Directory.CreateSymbolicLink(Path.Combine(tree.Root, "folder-link"), "real");
        using var session = await SshRemoteSession.ConnectAsync(sshd.Options(), new RecordingLog());
        var remote = NewRemote("links");

        var summary = await session.UploadDirectoryAsync(tree.Root, remote);

        Assert.Equal(new UploadSummary(3, 3, 30), summary);
        var fileLink = new FileInfo(Path.Combine(remote, "script-link"));
        Assert.Null(fileLink.LinkTarget);
        Assert.Equal("#!/bin/sh\n", File.ReadAllText(fileLink.FullName));
        Assert.Equal("750", UploadTree.ModeOf(fileLink.FullName));
        Assert.Null(new DirectoryInfo(Path.Combine(remote, "folder-link")).LinkTarget);
        Assert.Equal("#!/bin/sh\n", File.ReadAllText(Path.Combine(remote, "folder-link", "script.sh")));
    }

    [Fact]
    public async Task A_folder_symlink_on_the_droplet_stays_a_symlink_as_lib_does_on_merged_usr()
    {
        using var tree = new UploadTree();
        tree.File("lib/extra.conf", "x=1\n");
        var remote = NewRemote("merged-usr");
        Directory.CreateDirectory(Path.Combine(remote, "usr-lib"));
        Directory.CreateSymbolicLink(Path.Combine(remote, "lib"), "usr-lib");
        using var session = await SshRemoteSession.ConnectAsync(sshd.Options(), new RecordingLog());

        await session.UploadDirectoryAsync(tree.Root, remote);

        Assert.Equal("usr-lib", new DirectoryInfo(Path.Combine(remote, "lib")).LinkTarget);
        Assert.Equal("x=1\n", File.ReadAllText(Path.Combine(remote, "usr-lib", "extra.conf")));
    }

    [Fact]
    public async Task A_broken_local_symlink_fails_the_upload_named_and_the_session_still_works()
    {
        using var tree = new UploadTree();
        tree.File("a.txt", "a");
        var broken = Path.Combine(tree.Root, "b-broken");
        File.CreateSymbolicLink(broken, "nowhere");
        using var session = await SshRemoteSession.ConnectAsync(sshd.Options(), new RecordingLog());

        var error = await Assert.ThrowsAsync<LocalFileUnreadableException>(() => session.UploadDirectoryAsync(tree.Root, NewRemote("broken")));

        Assert.Equal(broken, error.LocalPath);
        Assert.IsType<FileNotFoundException>(error.InnerException);

        var after = await session.RunAsync("echo still here", new RemoteCommandSettings { LogOutput = false });
        Assert.Equal("still here\n", after.StandardOutput);
    }

    [Fact]
    public async Task Overwrites_existing_files_in_place_keeping_their_owner_and_applying_the_new_mode()
    {
        using var tree = new UploadTree();
        tree.File("app.conf", "new\n", "640");
        var remote = NewRemote("overwrite");
        Directory.CreateDirectory(remote);
        var existing = Path.Combine(remote, "app.conf");
        File.WriteAllText(existing, "old old old\n");
        var inodeBefore = await InodeAsync(existing);
        using var session = await SshRemoteSession.ConnectAsync(sshd.Options(), new RecordingLog());

        await session.UploadDirectoryAsync(tree.Root, remote);

        Assert.Equal("new\n", File.ReadAllText(existing));
        Assert.Equal("640", UploadTree.ModeOf(existing));
        Assert.Equal(inodeBefore, await InodeAsync(existing));
    }

    [Fact]
    public async Task A_single_file_upload_creates_its_folders_and_sets_setuid_on_a_quoted_path()
    {
        using var session = await SshRemoteSession.ConnectAsync(sshd.Options(), new RecordingLog());
        var target = Path.Combine(NewRemote("single 'it''s'"), "a b", "tool");
        var content = new byte[3 * 1024 * 1024 + 17];
        Random.Shared.NextBytes(content);

        await session.UploadAsync(new MemoryStream(content), target, UploadTree.Mode("4755"));

        Assert.Equal(content, File.ReadAllBytes(target));
        Assert.Equal("4755", UploadTree.ModeOf(target));
    }

    private static async Task<string> InodeAsync(string path) =>
        (await ProcessRunner.RunAsync("stat", ["-c", "%i", path], "/", TimeSpan.FromSeconds(30))).Output.Trim();
}
