using Microsoft.Extensions.Logging.Console;

namespace Cake.DoMarketplace.LocalCloud;

/// <summary>
/// The <c>do-local-cloud</c> command: reads its options, starts the local cloud (or only prepares it) and serves until
/// stopped. Whatever stops it from starting is one line on stderr, <c>do-local-cloud: cannot start: …</c> (<c>cannot
/// prepare</c> with <c>--prepare</c>), after its own console lines, with exit code 2 for a bad command line and 1
/// otherwise; never a stack trace.
/// </summary>
internal static class CloudCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var phase = "cannot start";
        string? failure = null;
        int exitCode;
        var loggerFactory = LoggerFactory.Create(b => b
            .AddConsole(o => o.FormatterName = ConsoleLines.FormatterName)
            .AddConsoleFormatter<ConsoleLines, ConsoleFormatterOptions>());
        try
        {
            var line = CommandLine.Parse(args, loggerFactory, Environment.GetEnvironmentVariable);
            phase = line.PrepareOnly ? "cannot prepare" : phase;
            exitCode = await ServeAsync(line, () => phase = "stopped on an error").ConfigureAwait(false);
        }
        catch (CommandLineException e)
        {
            (failure, exitCode) = (e.Message, 2);
        }
        catch (Exception e)
        {
            (failure, exitCode) = (StartFailure.OneLine(e), 1);
        }
        finally
        {
            loggerFactory.Dispose(); // writes the console lines still queued, so the failure comes last
        }

        if (failure is not null)
        {
            await Console.Error.WriteLineAsync($"do-local-cloud: {phase}: {failure}").ConfigureAwait(false);
        }

        return exitCode;
    }

    private static async Task<int> ServeAsync(CommandLine line, Action started)
    {
        var options = line.Options;
        if (line.PrepareOnly)
        {
            // Prerequisites and the cached base image only, for CI and first-time set-up.
            await LocalCloudServer.PrepareAsync(options).ConfigureAwait(false);
            return 0;
        }

        await using var server = await LocalCloudServer.StartAsync(options).ConfigureAwait(false);
        Console.WriteLine($"Local cloud API listening on {server.BaseUrl} (data in {options.DataDirectory})");
        if (line.ReadyFile is not null)
        {
            ReadyFile.Write(line.ReadyFile, server.BaseUrl, options.DataDirectory);
        }

        started();
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        if (line.ParentPid is { } parent)
        {
            // Started by a build (DoStartLocalCloud): when that process dies however it dies, stop and clean up too.
            _ = ParentWatch.CancelWhenGoneAsync(parent, stop);
        }

        try
        {
            await server.WaitForShutdownAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        return 0;
    }
}
