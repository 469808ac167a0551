using Cake.Core.Diagnostics;

namespace Cake.DoMarketplace.Diagnostics;

/// <summary>
/// An <see cref="ICakeLog"/> that starts every line with <c>[prefix] </c>, for builds that share one log at the same time
/// (<c>DoBuildImages</c>'s variants). Each message is formatted and redacted whole (a private key spans lines), then
/// written line by line under <paramref name="lines"/>, a lock shared by the writers of one log: a message's lines stay
/// together and no two writers' lines mix.
/// </summary>
internal sealed class PrefixedCakeLog(ICakeLog inner, string prefix, object lines) : ICakeLog
{
    private readonly string prefix = $"[{prefix}] ";

    public Verbosity Verbosity
    {
        get => inner.Verbosity;
        set => inner.Verbosity = value;
    }

    public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args)
    {
        if (verbosity > inner.Verbosity)
        {
            return;
        }

        lock (lines)
        {
            foreach (var line in RedactingCakeLog.Text(format, args).Split('\n'))
            {
                inner.Write(verbosity, level, "{0}", prefix + line.TrimEnd('\r'));
            }
        }
    }
}
