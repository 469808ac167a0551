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

    public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args) =>
        lines.Enqueue((level, args.Length == 0 ? format : string.Format(CultureInfo.InvariantCulture, format, args)));
}
