using System.Globalization;
using Cake.Core.Diagnostics;

namespace Cake.DoMarketplace.Diagnostics;

/// <summary>
/// An <see cref="ICakeLog"/> that formats each message itself and removes registered secrets before passing it on.
/// Messages are passed on as literal text, so braces in remote output never break Cake's formatter.
/// </summary>
internal sealed class RedactingCakeLog(ICakeLog inner) : ICakeLog
{
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

        inner.Write(verbosity, level, "{0}", Text(format, args));
    }

    /// <summary>A message as Cake would format it, with every registered secret removed.</summary>
    public static string Text(string format, object[] args) =>
        SecretRedactor.Redact(args.Length == 0 ? format : string.Format(CultureInfo.InvariantCulture, format, args));

    public static ICakeLog Wrap(ICakeLog log) => log as RedactingCakeLog ?? new RedactingCakeLog(log);
}
