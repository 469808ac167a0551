using Cake.Core.Diagnostics;

namespace Cake.DoMarketplace.Diagnostics;

/// <summary>Literal-text logging helpers: the text is never used as a format string.</summary>
internal static class LogExtensions
{
    public static void Info(this ICakeLog log, string text) => log.Write(Verbosity.Normal, LogLevel.Information, "{0}", text);

    public static void Detail(this ICakeLog log, string text) => log.Write(Verbosity.Verbose, LogLevel.Verbose, "{0}", text);

    public static void Trace(this ICakeLog log, string text) => log.Write(Verbosity.Diagnostic, LogLevel.Debug, "{0}", text);

    public static void Warn(this ICakeLog log, string text) => log.Write(Verbosity.Minimal, LogLevel.Warning, "{0}", text);

    public static void Fail(this ICakeLog log, string text) => log.Write(Verbosity.Quiet, LogLevel.Error, "{0}", text);
}
