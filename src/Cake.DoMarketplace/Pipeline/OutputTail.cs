using System.Globalization;
using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Pipeline;

/// <summary>
/// Passes every line on and keeps the last ones, verbose ones included, so that a failed step can show the end of
/// its output again next to its error even when that output was kept out of the normal log.
/// </summary>
internal sealed class OutputTail(ICakeLog inner, int capacity = OutputTail.DefaultCapacity) : ICakeLog
{
    public const int DefaultCapacity = 15;

    private readonly LineTail tail = new(capacity);

    public Verbosity Verbosity
    {
        get => inner.Verbosity;
        set => inner.Verbosity = value;
    }

    public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args)
    {
        var text = args.Length == 0 ? format : string.Format(CultureInfo.InvariantCulture, format, args);
        tail.Add(text);
        inner.Write(verbosity, level, "{0}", text);
    }

    /// <summary>Forgets what was kept (a new step starts).</summary>
    public void Clear() => tail.Clear();

    /// <summary>The last lines written since <see cref="Clear"/>, oldest first.</summary>
    public IReadOnlyList<string> Lines => tail.Lines;
}
