using System.Diagnostics;
using System.Text;
using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Ssh;

/// <summary>
/// A remote command's two output streams, read as they arrive: split into lines (a lone CR ends a line too, as in
/// progress output), captured, streamed into the log when asked, and timed, so that a silent command can be reported.
/// Standard output counts as the command's only after its <see cref="CommandMarker"/>; what came before is the login's.
/// </summary>
internal sealed class RemoteOutput(ICakeLog log, string label, RemoteCommandSettings settings, CommandMarker? marker)
{
    private const int AnswerLength = 400;
    private static readonly UTF8Encoding Utf8 = new(false);

    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();
    private readonly StringBuilder beforeMarker = new();
    private long lastOutput = Stopwatch.GetTimestamp();
    private volatile bool markerSeen = marker is null;
    private volatile string partialOutput = string.Empty;
    private volatile string partialError = string.Empty;

    /// <summary>True once the marker line came (always, for a command sent without one).</summary>
    public bool MarkerSeen => markerSeen;

    /// <summary>The command's standard output: the lines after the marker.</summary>
    public string StandardOutput
    {
        get
        {
            lock (stdout)
            {
                return stdout.ToString();
            }
        }
    }

    /// <summary>The command's standard error.</summary>
    public string StandardError
    {
        get
        {
            lock (stderr)
            {
                return stderr.ToString();
            }
        }
    }

    /// <summary>When the last output of either stream arrived (a <see cref="Stopwatch"/> timestamp).</summary>
    public long LastOutput => Interlocked.Read(ref lastOutput);

    /// <summary>The text after the last line end of standard output, else of standard error (a prompt such as <c>Password: </c>).</summary>
    public string PartialLine => partialOutput is { Length: > 0 } output ? output : partialError;

    /// <summary>Reads both streams to their end.</summary>
    public Task ReadAsync(Stream standardOutput, Stream standardError) =>
        Task.WhenAll(PumpAsync(standardOutput, isError: false), PumpAsync(standardError, isError: true));

    /// <summary>
    /// What the login answered instead of running the command, for messages: everything on both streams (there is no
    /// marker to start from), one line, quoted, shortened; "nothing" when it printed nothing.
    /// </summary>
    public string Answer(int? exitStatus)
    {
        string text;
        lock (beforeMarker)
        {
            text = beforeMarker.ToString();
        }

        text = string.Join(" | ", (text + StandardError + partialError).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var quoted = text.Length == 0 ? "nothing" : "'" + (text.Length > AnswerLength ? text[..AnswerLength] + "…" : text) + "'";
        return exitStatus is { } status ? $"{quoted} (exit status {status})" : quoted;
    }

    private async Task PumpAsync(Stream stream, bool isError)
    {
        using var reader = new StreamReader(stream, Utf8, detectEncodingFromByteOrderMarks: false, bufferSize: 4096, leaveOpen: true);
        var buffer = new char[4096];
        var line = new StringBuilder();
        var afterCarriageReturn = false;
        int read;
        while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            Interlocked.Exchange(ref lastOutput, Stopwatch.GetTimestamp());
            foreach (var c in buffer.AsSpan(0, read))
            {
                if (afterCarriageReturn && c == '\n')
                {
                    afterCarriageReturn = false;
                    continue;
                }

                afterCarriageReturn = c == '\r';
                if (c is '\n' or '\r')
                {
                    OnLine(line.ToString(), isError);
                    line.Clear();
                }
                else
                {
                    line.Append(c);
                }
            }

            SetPartial(line.ToString(), isError);
        }

        if (line.Length > 0)
        {
            OnLine(line.ToString(), isError);
        }

        SetPartial(string.Empty, isError);
    }

    private void SetPartial(string text, bool isError)
    {
        if (isError)
        {
            partialError = text;
        }
        else
        {
            partialOutput = text;
        }
    }

    private void OnLine(string line, bool isError)
    {
        if (!isError && !markerSeen)
        {
            // A .bashrc that prints without a line end puts its text in front of the marker on the same line.
            var isMarker = line.EndsWith(marker!.Line, StringComparison.Ordinal);
            var before = isMarker ? line[..^marker.Line.Length] : line;
            if (before.Length > 0 || !isMarker)
            {
                lock (beforeMarker)
                {
                    beforeMarker.Append(before).Append('\n');
                }
            }

            if (isMarker)
            {
                markerSeen = true;
                LogLoginOutput();
            }

            return;
        }

        var capture = isError ? stderr : stdout;
        lock (capture)
        {
            capture.Append(line).Append('\n');
        }

        if (!settings.LogOutput)
        {
            return;
        }

        var text = $"[{label}{(isError ? ":err" : string.Empty)}] {line}";

        // Blank lines and routine progress stay in the verbose log (--verbosity=verbose shows everything).
        if (string.IsNullOrWhiteSpace(line) || settings.IsRoutineOutput?.Invoke(line) == true)
        {
            log.Detail(text);
        }
        else
        {
            log.Info(text);
        }
    }

    // What the login printed before the command ran (a .bashrc's echo) is not the command's output: verbose log only.
    private void LogLoginOutput()
    {
        string text;
        lock (beforeMarker)
        {
            text = beforeMarker.ToString();
        }

        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            log.Detail($"[{label}] (printed by the login before the command ran) {line}");
        }
    }
}
