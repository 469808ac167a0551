using System.Diagnostics;
using System.Text;

namespace Cake.DoMarketplace.LocalCloud.Host;

/// <summary>Runs host commands (debootstrap, chroot, cp, ip, nft) with their output in the log.</summary>
internal static class HostCommands
{
    public static async Task<string> RunAsync(ILogger log, string file, IEnumerable<string> arguments, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null, Action<string>? onLine = null, string? stdin = null)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true,
            RedirectStandardInput = stdin is not null };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = new StringBuilder();
        void Collect(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
            }

            onLine?.Invoke(line);
        }

        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            var tail = string.Join('\n', output.ToString().TrimEnd().Split('\n').TakeLast(20));
            if (stdin is not null)
            {
                tail += "\ninput:\n" + stdin;
            }

            log.CommandFailed(file, process.ExitCode);
            throw new InvalidOperationException($"{file} {string.Join(' ', start.ArgumentList)} failed with exit code {process.ExitCode}:\n{tail}");
        }

        return output.ToString();
    }

    /// <summary>Runs a command whose failure is an answer (pkill finding nothing, say); returns its exit code.</summary>
    public static async Task<int> RunAllowingFailureAsync(ILogger log, string file, IEnumerable<string> arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"Could not start {file}.");
        await process.WaitForExitAsync();
        log.CommandExited(file, process.ExitCode);
        return process.ExitCode;
    }

    public static string Script(string name)
    {
        var assembly = typeof(HostCommands).Assembly;
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith("." + name, StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
        return reader.ReadToEnd();
    }
}
