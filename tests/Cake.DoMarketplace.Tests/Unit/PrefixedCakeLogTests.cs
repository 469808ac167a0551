using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Unit;

/// <summary>The variants' log: every line of a message prefixed, secrets redacted across lines, braces kept literal.</summary>
public sealed class PrefixedCakeLogTests
{
    [Fact]
    public void Every_line_of_a_message_starts_with_the_prefix_and_a_secret_spanning_lines_is_redacted_whole()
    {
        var secret = $"-----BEGIN KEY {Guid.NewGuid():N}-----\nbody-{Guid.NewGuid():N}\n-----END KEY-----";
        SecretRedactor.Register(secret);
        var inner = new RecordingLog();
        var log = new PrefixedCakeLog(inner, "lemp-debian-12", new object());

        log.Write(Verbosity.Normal, LogLevel.Information, "{0}", $"key:\n{secret}\r\ndone {{1}}");

        Assert.Equal(["[lemp-debian-12] key:", "[lemp-debian-12] ***", "[lemp-debian-12] done {1}"], inner.Lines.Select(l => l.Text));
    }

    [Fact]
    public void A_message_above_the_logs_verbosity_writes_nothing()
    {
        var inner = new RecordingLog { Verbosity = Verbosity.Normal };
        var log = new PrefixedCakeLog(inner, "v", new object());

        log.Write(Verbosity.Diagnostic, LogLevel.Debug, "{0}", "trace");
        log.Write(Verbosity.Minimal, LogLevel.Warning, "{0}", "warning");

        Assert.Equal([(LogLevel.Warning, "[v] warning")], inner.Lines);
    }
}
