using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.LocalCloudLaunch;

/// <summary>
/// Starts the local cloud as a child process: a one-time token through the environment (never on the command line,
/// where other users could read it), a free port, a ready file to learn the address from, and the build's process id
/// so that it stops when the build dies. Its console lines go to the Cake log as <c>[local-cloud] …</c>.
/// </summary>
internal sealed class LocalCloudLauncher(ICakeLog log)
{
    private const int TailLines = 15;

    public async Task<LocalCloudHandle> StartAsync(LocalCloudCommand command, LocalCloudSettings settings, string dataDirectory,
        CancellationToken cancellationToken)
    {
        var token = "local-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        SecretRedactor.Register(token);
        var readyFile = Path.Combine(Path.GetTempPath(), $"cake-domarketplace-local-cloud-{Guid.NewGuid():N}.json");
        var start = new ProcessStartInfo(command.File) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (
            var argument in command.Prefix.Concat(
            ["--port", "0", "--data-dir", dataDirectory, "--ready-file", readyFile, "--exit-with-parent",
            Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            start.ArgumentList.Add(argument);
        }

        if (settings.AddressRange is { } range)
        {
            start.ArgumentList.Add("--address-range");
            start.ArgumentList.Add(range);
        }

        start.Environment["LOCAL_CLOUD_TOKEN"] = token;
        log.Info($"Starting the local cloud ({command.Description}, data in {dataDirectory})");
        var process = Process.Start(start) ?? throw new LocalCloudStartException($"Could not start {command.File}.", string.Empty);
        var tail = new LineTail(TailLines);
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            tail.Add(line);

            log.Info("[local-cloud] " + line);
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        string LastLine() => tail.Lines is [.., var last] ? "last line: " + last : "no output yet";

        try
        {
            var ready = await new ProgressWaiter(log).WaitAsync(
                "the local cloud to start",
                settings.StartTimeout,
                $"{nameof(LocalCloudSettings)}.{nameof(LocalCloudSettings.StartTimeout)}",
                _ => Task.FromResult(File.Exists(readyFile) || process.HasExited),
                done => done,
                done => done ? "ready" : LastLine(),
                PollSchedule.Local,
                cancellationToken).ConfigureAwait(false);
            if (!File.Exists(readyFile))
            {
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                var output = string.Join('\n', tail.Lines);

                throw new LocalCloudStartException(
                    $"The local cloud exited with code {process.ExitCode} before it was ready; its last lines say why:\n{output}", output);
            }

            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(readyFile, cancellationToken).ConfigureAwait(false));
            var url = new Uri(json.RootElement.GetProperty("url").GetString()!);
            var replaced = settings.SetEnvironment ? LocalCloudHandle.PointEnvironmentAt(url, token) : new Dictionary<string, string?>();
            log.Info(
                "Local cloud ready at "
                + $"{url}{(settings.SetEnvironment ? ": DIGITALOCEAN_TOKEN and DIGITALOCEAN_API_URL point at it for the rest of this run" : string.Empty)}");
            return new LocalCloudHandle(process, url, token, dataDirectory, log, settings.StopTimeout, replaced);
        }
        catch
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
            throw;
        }
        finally
        {
            File.Delete(readyFile);
        }
    }
}
