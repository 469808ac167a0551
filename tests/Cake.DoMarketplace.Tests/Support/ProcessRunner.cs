using System.Diagnostics;
using System.Text;

namespace Cake.DoMarketplace.Tests.Support;

/// <summary>Runs a process, capturing its output, with a hard time limit.</summary>
public static class ProcessRunner
{
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string file, IEnumerable<string> arguments, string workingDirectory, TimeSpan limit, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var running = Start(file, arguments, workingDirectory, environment);
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await running.Process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            running.Process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {limit}. Output so far:\n{running.Output}");
        }

        running.Process.WaitForExit();
        return (running.Process.ExitCode, running.Output);
    }

    /// <summary>Starts a process whose output is collected as it runs (environment values of null are removed).</summary>
    public static RunningProcess Start(string file, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string,
        string?>? environment = null)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return new RunningProcess(Process.Start(start)!);
    }
}

/// <summary>A started process and the output it has written so far.</summary>
public sealed class RunningProcess : IDisposable
{
    private readonly StringBuilder output = new();

    public RunningProcess(Process process)
    {
        Process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Waits until the output contains <paramref name="text"/>; fails when the process ends first or time runs out.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"The process ended (exit {Process.ExitCode}) before writing '{text}'. Output:\n{Output}");
            }

            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"No '{text}' within {limit}. Output so far:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>SIGINT, as Ctrl+C sends: the process stops cleanly. Waits for it to end.</summary>
    public async Task InterruptAsync(TimeSpan limit)
    {
        using (var kill = System.Diagnostics.Process.Start("kill", ["-s", "INT", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await Process.WaitForExitAsync(new CancellationTokenSource(limit).Token);
    }

    /// <summary>SIGKILL to the process and its children: what a cancelled CI runner or the OOM killer does.</summary>
    public void KillHard()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }
    }

    public void Dispose()
    {
        KillHard();
        Process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
