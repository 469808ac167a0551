using System.Diagnostics;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Tests.Unit;

public sealed class ShellQuoteTests
{
    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("", "''")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("'", "''\\'''")]
    [InlineData("$(id)", "'$(id)'")]
    public void Wraps_in_single_quotes_and_closes_escapes_reopens_around_each_single_quote(string value, string expected) =>
        Assert.Equal(expected, ShellQuote.Quote(value));

    [Theory]
    [InlineData("plain")]
    [InlineData("")]
    [InlineData("it's 'quoted' twice''")]
    [InlineData("$(touch /tmp/cdm-shellquote-must-not-exist) `id` $HOME ${PATH}")]
    [InlineData("two\nlines\n")]
    [InlineData("\r\n trailing spaces and\ttabs  ")]
    [InlineData("* ? [a-z] ~ ! # & ; | < > ( ) { } \\ \"")]
    [InlineData("-n")]
    [InlineData("ünïcödé ✓")]
    public void Any_string_reaches_a_real_shell_unchanged(string value)
    {
        var start = new ProcessStartInfo("bash", ["-c", "printf '%s' " + ShellQuote.Quote(value)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var bash = Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEnd();
        var error = bash.StandardError.ReadToEnd();
        bash.WaitForExit();

        Assert.True(bash.ExitCode == 0, error);
        Assert.Equal(value, output);
        Assert.False(File.Exists("/tmp/cdm-shellquote-must-not-exist"), "a quoted $(…) must not run");
    }

    [Fact]
    public void Refuses_nul_which_no_shell_argument_can_hold()
    {
        var error = Assert.Throws<ArgumentException>(() => ShellQuote.Quote("a\0b"));
        Assert.Equal("value", error.ParamName);
        Assert.Throws<ArgumentNullException>(() => ShellQuote.Quote(null!));
    }
}
