using System.Text;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Ssh;

/// <summary>
/// How a command's output is told from what the login printed, without a network: the two streams as an SSH channel
/// would deliver them, read by <see cref="RemoteOutput"/> behind a <see cref="CommandMarker"/>.
/// </summary>
public sealed class RemoteOutputTests
{
    private static readonly RemoteCommandSettings Logged = new();

    private static async Task<(RemoteOutput Output, RecordingLog Log)> ReadAsync(CommandMarker marker, string stdout, string stderr = "")
    {
        var log = new RecordingLog();
        var output = new RemoteOutput(log, "web-1", Logged, marker);
        await output.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(stdout)), new MemoryStream(Encoding.UTF8.GetBytes(stderr)));
        return (output, log);
    }

    [Fact]
    public void Each_command_gets_its_own_marker_printed_on_a_line_before_the_command_unchanged()
    {
        var first = CommandMarker.New();
        var second = CommandMarker.New();

        Assert.NotEqual(first.Line, second.Line);
        Assert.Matches("^cake-domarketplace-begin-[0-9a-f]{24}$", first.Line);
        Assert.Equal($"printf '%s\\n' '{first.Line}'\nread x; echo \"got:$x\"", first.Wrap("read x; echo \"got:$x\""));
    }

    [Fact]
    public async Task A_forced_command_answer_without_the_marker_is_not_the_commands_output()
    {
        var (output, log) = await ReadAsync(CommandMarker.New(), "Please wait while we get your droplet ready...\n");

        Assert.False(output.MarkerSeen);
        Assert.Equal(string.Empty, output.StandardOutput);
        Assert.Equal("'Please wait while we get your droplet ready...' (exit status 0)", output.Answer(0));
        Assert.DoesNotContain("Please wait", log.AllText, StringComparison.Ordinal); // never logged as the command's line
    }

    [Fact]
    public async Task A_login_that_prints_nothing_answers_nothing()
    {
        var (output, _) = await ReadAsync(CommandMarker.New(), string.Empty);

        Assert.False(output.MarkerSeen);
        Assert.Equal("nothing (exit status 1)", output.Answer(1));
    }

    [Fact]
    public async Task What_the_login_printed_before_the_marker_goes_to_the_verbose_log_and_not_into_the_output()
    {
        var marker = CommandMarker.New();

        // A .bashrc that asks a question without a line end puts it in front of the marker, on the same line.
        var (output, log) = await ReadAsync(marker, $"Welcome to MariaDB setup\nEnter the root password: {marker.Line}\nos\tDebian\n",
            "warning: from the command\n");

        Assert.True(output.MarkerSeen);
        Assert.Equal("os\tDebian\n", output.StandardOutput);
        Assert.Equal("warning: from the command\n", output.StandardError);
        Assert.Contains((Cake.Core.Diagnostics.LogLevel.Verbose, "[web-1] (printed by the login before the command ran) Welcome to MariaDB setup"), log.Lines);
        Assert.Contains((Cake.Core.Diagnostics.LogLevel.Verbose, "[web-1] (printed by the login before the command ran) Enter the root password: "), log.Lines);
        Assert.Contains((Cake.Core.Diagnostics.LogLevel.Information, "[web-1] os\tDebian"), log.Lines);
        Assert.DoesNotContain(marker.Line, log.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_marker_printed_by_someone_else_earlier_in_a_line_does_not_count()
    {
        var marker = CommandMarker.New();

        var (output, _) = await ReadAsync(marker, $"{marker.Line} and more\n");

        Assert.False(output.MarkerSeen);
    }

    [Fact]
    public async Task Carriage_returns_end_lines_as_progress_output_does_and_a_last_line_without_an_end_is_kept()
    {
        var marker = CommandMarker.New();

        var (output, _) = await ReadAsync(marker, $"{marker.Line}\r\n10%\r50%\r100%\r\ndone");

        Assert.Equal("10%\n50%\n100%\ndone\n", output.StandardOutput);
    }

    [Fact]
    public async Task Without_a_marker_everything_is_the_commands()
    {
        var log = new RecordingLog();
        var output = new RemoteOutput(log, "web-1", new RemoteCommandSettings { LogOutput = false }, marker: null);

        await output.ReadAsync(new MemoryStream("a\nb\n"u8.ToArray()), new MemoryStream());

        Assert.True(output.MarkerSeen);
        Assert.Equal("a\nb\n", output.StandardOutput);
        Assert.Empty(log.Lines);
    }
}
