using System.Globalization;
using Cake.Core;
using Cake.Core.IO;

namespace Cake.DoMarketplace.LocalCloudLaunch;

/// <summary>
/// The local cloud's child process, started through Cake's <see cref="IProcessRunner"/>; its lines go to
/// <c>onLine</c> as they come. Cake's <see cref="IProcess"/> only tells an exit by waiting for it (its timed wait kills
/// the process), so one long-running task waits and <see cref="HasExited"/> reads that task. Signals go to the server's own
/// process id (from its ready file; the child may be <c>dotnet tool run</c> in front of it) through <c>kill</c>, also
/// started through the process runner.
/// </summary>
internal sealed class LocalCloudProcess : IDisposable
{
    private readonly IProcess process;
    private readonly IProcessRunner runner;
    private readonly Task<int> exit;

    private LocalCloudProcess(IProcess process, IProcessRunner runner)
    {
        this.process = process;
        this.runner = runner;
        exit = Task.Factory.StartNew(
            () =>
            {
                process.WaitForExit();
                return process.GetExitCode();
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    public bool HasExited => exit.IsCompleted;

    /// <summary>The server's process id, once its ready file told it.</summary>
    public int? ServerId { get; set; }

    public static LocalCloudProcess Start(IProcessRunner runner, LocalCloudCommand command, ProcessArgumentBuilder arguments,
        IDictionary<string, string> environment, Action<string> onLine)
    {
        string? Line(string? line)
        {
            if (line is not null) // Cake passes the end of the stream on as null
            {
                onLine(line);
            }

            return null; // nothing kept: the caller keeps the last lines it needs
        }

        var settings = new ProcessSettings
        {
            Arguments = arguments,
            EnvironmentVariables = environment,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectedStandardOutputHandler = Line,
            RedirectedStandardErrorHandler = Line,
            Silent = true,
        };
        var process = runner.Start(command.File, settings)
            ?? throw new LocalCloudStartException($"Could not start {command.File}.", string.Empty);
        return new LocalCloudProcess(process, runner);
    }

    /// <summary>Waits for the exit and returns its code.</summary>
    public Task<int> ExitAsync() => exit;

    public bool WaitForExit(TimeSpan timeout) => exit.Wait(timeout);

    /// <summary>Asks the server to stop, as Ctrl-C would; false when its process id is not known.</summary>
    public bool Interrupt() => Signal("INT");

    /// <summary>Kills the server and the child in front of it.</summary>
    public void Kill()
    {
        Signal("KILL");
        if (!exit.IsCompleted)
        {
            process.Kill();
        }
    }

    public void Dispose() => process.Dispose();

    private bool Signal(string signal)
    {
        if (ServerId is not { } id || exit.IsCompleted)
        {
            return false;
        }

        var arguments = new ProcessArgumentBuilder().Append("-s").Append(signal).Append(id.ToString(CultureInfo.InvariantCulture));
        using var kill = runner.Start("kill", new ProcessSettings { Arguments = arguments, Silent = true });
        kill?.WaitForExit();
        return true;
    }
}
