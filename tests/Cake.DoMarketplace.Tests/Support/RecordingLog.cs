using System.Collections.Concurrent;
using System.Globalization;
using Cake.Core.Diagnostics;

namespace Cake.DoMarketplace.Tests.Support;

/// <summary>An <see cref="ICakeLog"/> that keeps every line, for assertions on what the user would see.</summary>
public sealed class RecordingLog : ICakeLog
{
    private readonly ConcurrentQueue<(LogLevel Level, string Text)> lines = new();

    public Verbosity Verbosity { get; set; } = Verbosity.Diagnostic;

    public IReadOnlyList<(LogLevel Level, string Text)> Lines => lines.ToArray();

    public string AllText => string.Join('\n', lines.Select(l => l.Text));

    /// <summary>Raised for each line as it is written (on the writer's thread), for tests that react to output as it arrives.</summary>
    public event Action<string>? Written;

    public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args)
    {
        var text = args.Length == 0 ? format : string.Format(CultureInfo.InvariantCulture, format, args);
        lines.Enqueue((level, text));
        Written?.Invoke(text);
    }
}
