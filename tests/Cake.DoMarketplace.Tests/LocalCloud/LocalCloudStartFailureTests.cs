using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cake.DoMarketplace.Tests.LocalCloud;

/// <summary>
/// <c>do-local-cloud</c> run as a real process: every failure to start is one line on stderr,
/// <c>do-local-cloud: cannot start: …</c>, naming the option and the fix, with a non-zero exit code (2 for the command
/// line) and no stack trace. These fail before the machine is touched, so they need no root.
/// </summary>
public sealed class LocalCloudStartFailureTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("cdm-start-").FullName;

    public void Dispose() => Directory.Delete(work, true);

    [Theory]
    [InlineData("--bogus", "Unknown option --bogus. Usage: do-local-cloud --port N")]
    [InlineData("--port abc", "--port takes a TCP port from 1 to 65535, or 0 for a free one; 'abc' is not one.")]
    [InlineData("--port 70000", "--port takes a TCP port from 1 to 65535, or 0 for a free one; '70000' is not one.")]
    [InlineData("--token", "--token needs a value.")]
    [InlineData("--address-range 10.0.0.1/8 --token t", "--address-range '10.0.0.1/8' does not start on a /8 boundary: did you mean 10.0.0.0/8?")]
    [InlineData("--faults Nope=1 --token t", "--faults: Unknown fault 'nope'.")]
    [InlineData("--token-scopes my-token --token t", "--token-scopes takes TOKEN=scope1,scope2")]
    [InlineData("--pace digitalocean --pace-factor 0 --token t", "--pace-factor takes a number above 0 that DigitalOcean's times are multiplied by")]
    [InlineData("--port 0",
        "The local cloud needs a token to accept: --token TOKEN, --token-scopes TOKEN=scope1,scope2, or LOCAL_CLOUD_TOKEN in the environment.")]
    public async Task A_bad_command_line_is_one_line_naming_the_option_with_exit_code_2(string arguments, string expected)
    {
        var (exit, stdout, stderr) = await RunAsync(arguments.Split(' '));

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, stdout);
        AssertOneLine(stderr, expected);
    }

    [Fact]
    public async Task A_bad_LOCAL_CLOUD_FAULTS_names_the_variable()
    {
        var (exit, _, stderr) = await RunAsync(["--token", "t"], new Dictionary<string, string?> { ["LOCAL_CLOUD_FAULTS"] = "ActionDelay" });

        Assert.Equal(2, exit);
        AssertOneLine(stderr, "LOCAL_CLOUD_FAULTS: Fault 'ActionDelay' must be name=value.");
    }

    [Fact]
    public async Task A_port_in_use_is_named_with_the_way_out_before_anything_is_set_up()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (exit, stdout, stderr) = await RunAsync(["--port", port, "--token", "t"]);

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, stdout); // refused before the prerequisites, the network or an image
        AssertOneLine(stderr, $"Port {port} on 127.0.0.1 (LocalCloudOptions.Port, --port) is already in use; stop what listens there");
    }

    [Fact]
    public async Task A_data_folder_that_cannot_be_written_is_named()
    {
        var file = Path.Combine(work, "a-file");
        await File.WriteAllTextAsync(file, "not a folder");
        var data = Path.Combine(file, "data");

        var (exit, stdout, stderr) = await RunAsync(["--port", "0", "--token", "t", "--data-dir", data]);

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, stdout);
        AssertOneLine(stderr, $"The data folder {data} (LocalCloudOptions.DataDirectory, --data-dir) cannot be written:");
        Assert.EndsWith("Choose a folder this user can write to.", stderr.TrimEnd());
    }

    [Fact]
    public void A_message_of_several_lines_becomes_one_and_a_failure_of_an_unknown_kind_keeps_its_type()
    {
        var prerequisites = new InvalidOperationException(
            "The local cloud cannot run droplets on this machine:\n  - root: run as root\n  - overlayfs: load it");
        var hostCommand = new InvalidOperationException(
            "apt-get install -y nftables exited with 100:\nE: Unable to locate package nftables\n\nE: Broken packages");

        Assert.Equal("The local cloud cannot run droplets on this machine: root: run as root; overlayfs: load it",
            Cake.DoMarketplace.LocalCloud.StartFailure.OneLine(prerequisites));
        Assert.Equal("apt-get install -y nftables exited with 100: E: Unable to locate package nftables; E: Broken packages",
            Cake.DoMarketplace.LocalCloud.StartFailure.OneLine(hostCommand));
        Assert.Equal("Tokens are needed.", Cake.DoMarketplace.LocalCloud.StartFailure.OneLine(new ArgumentException("Tokens are needed.", "options")));
        Assert.Equal("KeyNotFoundException: No droplet 7.", Cake.DoMarketplace.LocalCloud.StartFailure.OneLine(new KeyNotFoundException("No droplet 7.")));
    }

    /// <summary>One line, the command's prefix, the expected text, and nothing of a stack trace or an exception's type.</summary>
    internal static void AssertOneLine(string stderr, string expected)
    {
        var lines = stderr.TrimEnd('\n').Split('\n');
        var line = Assert.Single(lines);
        Assert.StartsWith("do-local-cloud: cannot start: ", line);
        Assert.Contains(expected, line);
        Assert.DoesNotContain(" at ", line.Replace(" at once", string.Empty, StringComparison.Ordinal));
        Assert.DoesNotContain("Exception", line);
    }

    /// <summary>Runs the built <c>do-local-cloud</c> (its dll beside the tests) with stdout and stderr apart.</summary>
    internal static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string,
        string?>? environment = null, string? user = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Cake.DoMarketplace.LocalCloud.dll");
        var start = user is null ? new ProcessStartInfo("dotnet") : new ProcessStartInfo("setpriv");
        if (user is not null)
        {
            foreach (var argument in new[] { $"--reuid={user}", "--regid=nogroup", "--clear-groups", "dotnet" })
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["HOME"] = Path.GetTempPath();
            start.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        }

        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var variable in new[] { "LOCAL_CLOUD_TOKEN", "LOCAL_CLOUD_TOKEN_SCOPES", "LOCAL_CLOUD_FAULTS", "LOCAL_CLOUD_ADDRESS_RANGE" })
        {
            start.Environment.Remove(variable);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"do-local-cloud {string.Join(' ', arguments)} did not end: {await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
