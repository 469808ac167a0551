using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.LocalCloudLaunch;

/// <summary>
/// Starts the local cloud as a child process: a one-time token through the environment (never on the command line,
/// where other users could read it), a free port, a ready file to learn the address from, and the build's process id
/// so that it stops when the build dies. Its console lines go to the Cake log as <c>[local-cloud] …</c>. The process is
/// started through Cake's <see cref="IProcessRunner"/>, the ready file read through its <see cref="IFileSystem"/>.
/// </summary>
internal sealed class LocalCloudLauncher(ICakeLog log, IFileSystem files, ICakeEnvironment environment, IProcessRunner runner)
{
    private const int TailLines = 15;

    public async Task<LocalCloudHandle> StartAsync(LocalCloudCommand command, LocalCloudSettings settings, string dataDirectory,
        CancellationToken cancellationToken)
    {
        var token = "local-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        SecretRedactor.Register(token);
        var readyFile = environment.GetSpecialPath(SpecialPath.LocalTemp).CombineWithFilePath($"cake-domarketplace-local-cloud-{Guid.NewGuid():N}.json");
        var arguments = new ProcessArgumentBuilder();
        foreach (var prefix in command.Prefix)
        {
            arguments.AppendQuoted(prefix);
        }

        arguments.Append("--port").Append("0").Append("--data-dir").AppendQuoted(dataDirectory).Append("--ready-file").AppendQuoted(readyFile.FullPath)
            .Append("--exit-with-parent").Append(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        if (settings.AddressRange is { } range)
        {
            arguments.Append("--address-range").AppendQuoted(range);
        }

        if (settings.DigitalOceanPaceFactor is { } factor)
        {
            arguments.Append("--pace").Append("digitalocean").Append("--pace-factor").Append(factor.ToString("0.##########", CultureInfo.InvariantCulture));
        }

        log.Info($"Starting the local cloud ({command.Description}, data in {dataDirectory})");
        var tail = new LineTail(TailLines);
        var process = LocalCloudProcess.Start(runner, command, arguments, new Dictionary<string, string> { ["LOCAL_CLOUD_TOKEN"] = token }, line =>
        {
            tail.Add(line);
            log.Info("[local-cloud] " + line);
        });
        string LastLine() => tail.Lines is [.., var last] ? "last line: " + last : "no output yet";

        try
        {
            await new ProgressWaiter(log).WaitAsync(
                "the local cloud to start",
                settings.StartTimeout,
                $"{nameof(LocalCloudSettings)}.{nameof(LocalCloudSettings.StartTimeout)}",
                _ => Task.FromResult(files.FileExists(readyFile) || process.HasExited),
                done => done,
                done => done ? "ready" : LastLine(),
                PollSchedule.Local,
                cancellationToken).ConfigureAwait(false);
            if (!files.FileExists(readyFile))
            {
                var code = await process.ExitAsync().ConfigureAwait(false);
                var output = string.Join('\n', tail.Lines);

                throw new LocalCloudStartException(
                    $"The local cloud exited with code {code} before it was ready; its last lines say why:\n{output}", output);
            }

            using var json = JsonDocument.Parse(files.ReadAllText(readyFile));
            var url = new Uri(json.RootElement.GetProperty("url").GetString()!);
            process.ServerId = json.RootElement.TryGetProperty("pid", out var pid) && pid.TryGetInt32(out var id) ? id : null;
            var replaced = settings.SetEnvironment ? LocalCloudHandle.PointEnvironmentAt(url, token) : new Dictionary<string, string?>();
            log.Info(
                "Local cloud ready at "
                + $"{url}{(settings.SetEnvironment ? ": DIGITALOCEAN_TOKEN and DIGITALOCEAN_API_URL point at it for the rest of this run" : string.Empty)}");
            return new LocalCloudHandle(process, url, token, dataDirectory, log, settings.StopTimeout, replaced);
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
        finally
        {
            if (files.GetFile(readyFile) is { Exists: true } ready)
            {
                ready.Delete();
            }
        }
    }
}
