using System.Diagnostics;
using System.Globalization;
using System.Text;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.LocalCloud;
using Cake.DoMarketplace.Ssh;

/// <summary>
/// --versus-openssh: the addin's SSH session against the OpenSSH client on one local-cloud droplet, interleaved (addin,
/// OpenSSH, addin, …): 50 short commands, a 256 MiB file, a 2,000-file folder. Every figure includes its own connection
/// set-up: a new SshRemoteSession for the addin, the ssh/scp processes (and the ControlMaster's start) for OpenSSH.
/// </summary>
internal static class VersusOpenSsh
{
    private const string Token = "benchmark-token-000000000000000000";
    private const int Commands = 50;
    private const long BigFileBytes = 256L * 1024 * 1024;
    private const int TreeFiles = 2_000;

    private const string Commands50 = "50 commands (`echo n`)";
    private const string BigFile = "256 MiB file upload";
    private const string Tree = "2,000-file folder upload";

    public static async Task RunAsync(int rounds, string command)
    {
        var root = VersusPacker.FindRoot();
        var work = Directory.CreateTempSubdirectory("cdm-versus-ssh-").FullName;
        var data = Path.Combine(work, "cloud");
        var options = new LocalCloudOptions { DataDirectory = data, RequestsPerMinute = 100_000, RequestsPerHour = 1_000_000 };
        options.Tokens.Add(Token);
        var results = new List<(string Figure, string Tool, double Seconds)>();
        try
        {
            var keyFile = Path.Combine(work, "id_ed25519");
            var key = SshKeyPair.Generate("bench-openssh");
            key.WritePrivateKeyFile(keyFile);
            var bigFile = Path.Combine(work, "big.bin");
            WriteRandomFile(bigFile, BigFileBytes);
            var tree = Path.Combine(work, "tree");
            var treeBytes = WriteTree(tree);
            Console.WriteLine($"local data: {BigFileBytes} bytes in one file, {TreeFiles} files ({treeBytes} bytes) in {tree}");

            await using var server = await LocalCloudServer.StartAsync(options);
            using var api = new DoApiClient(new DoApiOptions { Token = Token, BaseUrl = server.BaseUrl });
            var registered = await api.CreateSshKeyAsync("bench-openssh", key.PublicKeyLine);
            var droplet = await api.CreateDropletAsync(new DoDropletCreateRequest { Name = "bench-openssh", Region = "nyc3", Size = "s-1vcpu-512mb-10gb", Image = "debian-12-x64", SshKeys = [registered.Fingerprint] });
            while ((droplet = await api.GetDropletAsync(droplet.Id)).Status != "active")
            {
                await Task.Delay(100);
            }

            var host = droplet.PublicIPv4!;
            var connect = new SshConnectOptions { Host = host, Key = key, Label = "bench-openssh", ConnectTimeout = TimeSpan.FromSeconds(120) };
            using (var first = await SshRemoteSession.ConnectAsync(connect, new SilentLog()))
            {
                await first.RunAsync("cloud-init status --wait >/dev/null 2>&1 || true", new RemoteCommandSettings { LogOutput = false });
            }

            var openSsh = new OpenSshClient(host, keyFile, Path.Combine(work, "cm"));
            void Record(string figure, string tool, double seconds)
            {
                results.Add((figure, tool, seconds));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {figure}, {tool}: {seconds:0.000} s"));
            }

            for (var round = 1; round <= rounds; round++)
            {
                Console.WriteLine($"round {round}/{rounds}");
                Record(Commands50, "addin", await TimeAsync(async () =>
                {
                    using var session = await SshRemoteSession.ConnectAsync(connect, new SilentLog());
                    for (var i = 0; i < Commands; i++)
                    {
                        await session.RunAsync($"echo {i}", new RemoteCommandSettings { LogOutput = false });
                    }
                }));
                Record(Commands50, "ssh per command", await TimeAsync(async () =>
                {
                    for (var i = 0; i < Commands; i++)
                    {
                        await openSsh.SshAsync($"echo {i}", multiplexed: false);
                    }
                }));
                Record(Commands50, "ssh ControlMaster", await TimeAsync(async () =>
                {
                    for (var i = 0; i < Commands; i++)
                    {
                        await openSsh.SshAsync($"echo {i}", multiplexed: true);
                    }
                }));
                await openSsh.StopMasterAsync();

                Record(BigFile, "addin", await TimeAsync(async () =>
                {
                    using var session = await SshRemoteSession.ConnectAsync(connect, new SilentLog());
                    await using var content = File.OpenRead(bigFile);
                    await session.UploadAsync(content, "/root/bench/big-addin.bin", (UnixFileMode)Convert.ToInt32("644", 8));
                }));
                Record(BigFile, "scp", await TimeAsync(() => OpenSshClient.RunAsync("scp", ["-q", .. openSsh.Options, bigFile, $"root@{host}:/root/bench/big-scp.bin"])));
                await VerifyAsync(openSsh, "/root/bench/big-addin.bin /root/bench/big-scp.bin", 2);

                Record(Tree, "addin", await TimeAsync(async () =>
                {
                    using var session = await SshRemoteSession.ConnectAsync(connect, new SilentLog());
                    await session.UploadDirectoryAsync(tree, "/root/bench/tree-addin");
                }));
                Record(Tree, "scp -r", await TimeAsync(() => OpenSshClient.RunAsync("scp", ["-q", "-r", .. openSsh.Options, tree, $"root@{host}:/root/bench/tree-scp"])));
                Record(Tree, "tar | ssh tar", await TimeAsync(() => OpenSshClient.RunAsync("/bin/sh",
                [
                    "-c",
                    $"tar -C {ShellQuote.Quote(tree)} -cf - . | ssh {string.Join(' ', openSsh.Options.Select(ShellQuote.Quote))} root@{host} "
                    + ShellQuote.Quote("mkdir -p /root/bench/tree-tar && tar -C /root/bench/tree-tar -xf -"),
                ])));
                await VerifyAsync(openSsh, "/root/bench/tree-addin /root/bench/tree-scp /root/bench/tree-tar", 3 * TreeFiles);
                await openSsh.SshAsync("rm -rf /root/bench", multiplexed: false);
            }

            await api.DeleteDropletAsync(droplet.Id);
        }
        finally
        {
            // The private key file and the test data go with the work folder.
            Directory.Delete(work, true);
        }

        var markdown = Table(results, rounds, command);
        Console.WriteLine();
        Console.WriteLine(markdown);
        await BenchmarksDoc.WriteSectionAsync(Path.Combine(root, "docs", "benchmarks.md"), markdown);
    }

    /// <summary>A figure is only worth something if both sides copied everything: count the regular files arrived.</summary>
    private static async Task VerifyAsync(OpenSshClient openSsh, string paths, int expectedFiles)
    {
        var output = await openSsh.SshAsync($"find {paths} -type f | wc -l", multiplexed: false);
        if (int.Parse(output.Trim(), CultureInfo.InvariantCulture) != expectedFiles)
        {
            throw new InvalidOperationException($"expected {expectedFiles} files under {paths}, found {output.Trim()}");
        }
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return clock.Elapsed.TotalSeconds;
    }

    private static void WriteRandomFile(string path, long bytes)
    {
        using var file = File.Create(path);
        var buffer = new byte[1024 * 1024];
        for (long written = 0; written < bytes; written += buffer.Length)
        {
            Random.Shared.NextBytes(buffer);
            file.Write(buffer);
        }
    }

    /// <summary>2,000 files of 1 to 8 KiB in 20 folders of 100, two levels deep, as a web app's static files might be.</summary>
    private static long WriteTree(string root)
    {
        long total = 0;
        var random = new Random(13);
        for (var i = 0; i < TreeFiles; i++)
        {
            var folder = Path.Combine(root, $"part-{i / 400}", $"group-{i / 100 % 4}");
            Directory.CreateDirectory(folder);
            var content = new byte[random.Next(1024, 8 * 1024)];
            random.NextBytes(content);
            File.WriteAllBytes(Path.Combine(folder, $"file-{i:0000}.dat"), content);
            total += content.Length;
        }

        return total;
    }

    private static string Table(List<(string Figure, string Tool, double Seconds)> results, int rounds, string command)
    {
        double MedianOf(string figure, string tool) => Stats.Median(results.Where(r => r.Figure == figure && r.Tool == tool).Select(r => r.Seconds));
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        Line("## SSH and uploads: the addin versus OpenSSH");
        Line(string.Empty);
        Line(string.Create(c, $"One local-cloud droplet (debian-12-x64, systemd-nspawn) on this host ({Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}), {rounds} interleaved rounds (addin, OpenSSH, addin, …). The addin is SshRemoteSession (SSH.NET); OpenSSH is {OpenSshClient.Version()} with `-o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -i keyfile`. Every figure includes its connection set-up: a new SshRemoteSession for the addin, the ssh or scp processes for OpenSSH, and for ControlMaster (`-o ControlMaster=auto -o ControlPath=… -o ControlPersist=60`) the master's start. The folder holds {TreeFiles:N0} files of 1 to 8 KiB in 20 subfolders."));
        Line(string.Empty);
        Line($"Command: `{command}`");
        Line(string.Empty);
        Line($"| figure (median of {rounds}) | addin | OpenSSH | ratio (addin / OpenSSH) |");
        Line("|---|---|---|---|");
        var commands = MedianOf(Commands50, "addin");
        foreach (var tool in (string[])["ssh ControlMaster", "ssh per command"])
        {
            var theirs = MedianOf(Commands50, tool);
            Line(string.Create(c, $"| {Commands50} | {commands:0.000} s | {theirs:0.000} s ({tool}) | {commands / theirs:0.00} |"));
        }

        var (big, scp) = (MedianOf(BigFile, "addin"), MedianOf(BigFile, "scp"));
        Line(string.Create(c, $"| {BigFile} | {big:0.00} s | {scp:0.00} s (scp) | {big / scp:0.00} |"));
        var folder = MedianOf(Tree, "addin");
        foreach (var tool in ((string[])["scp -r", "tar | ssh tar"]).OrderBy(t => MedianOf(Tree, t)))
        {
            var theirs = MedianOf(Tree, tool);
            Line(string.Create(c, $"| {Tree} | {folder:0.00} s | {theirs:0.00} s ({Cell(tool)}) | {folder / theirs:0.00} |"));
        }

        Line(string.Empty);
        Line("| round | figure | tool | time |");
        Line("|---|---|---|---|");
        var perFigure = results.GroupBy(r => (r.Figure, r.Tool)).SelectMany(g => g.Select((r, i) => (Round: i + 1, r.Figure, r.Tool, r.Seconds)));
        foreach (var row in perFigure.OrderBy(r => r.Round))
        {
            Line(string.Create(c, $"| {row.Round} | {row.Figure} | {Cell(row.Tool)} | {row.Seconds:0.000} s |"));
        }

        return text.ToString();
    }

    /// <summary>A table cell: a pipe in it would end the cell, even inside backticks.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>The OpenSSH client processes, each run to its end; a non-zero exit fails the benchmark.</summary>
    private sealed class OpenSshClient(string host, string keyFile, string controlPath)
    {
        public string[] Options { get; } = ["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-i", keyFile];

        private string[] Multiplexing => ["-o", "ControlMaster=auto", "-o", $"ControlPath={controlPath}", "-o", "ControlPersist=60"];

        public static string Version()
        {
            using var process = Process.Start(new ProcessStartInfo("ssh", ["-V"]) { RedirectStandardError = true })!;
            var version = process.StandardError.ReadToEnd().Trim();
            process.WaitForExit();
            return version.Split(',')[0];
        }

        public Task<string> SshAsync(string command, bool multiplexed) =>
            RunAsync("ssh", [.. Options, .. multiplexed ? Multiplexing : [], $"root@{host}", command]);

        public async Task StopMasterAsync() => await RunAsync("ssh", [.. Options, .. Multiplexing, "-O", "exit", $"root@{host}"]);

        public static async Task<string> RunAsync(string file, string[] arguments)
        {
            var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}");
            }

            return await output;
        }
    }
}
