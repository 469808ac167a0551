using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Tests.Ssh;

public sealed class RemoteCommandTailTests
{
    [Fact]
    public void A_failed_command_shows_the_last_lines_of_both_streams_so_quieted_output_still_explains_it()
    {
        var stdout = string.Join('\n', Enumerable.Range(1, 30).Select(i => $"Unpacking package{i} (1.0) ..."))
            + "\ndpkg: error processing package nginx (--configure):\n\n";
        var result = new RemoteCommandResult("apt-get install nginx", 100, stdout, "E: Sub-process /usr/bin/dpkg returned an error code (1)\n",
            TimeSpan.FromSeconds(3));

        var message = new RemoteCommandException("build", result).Message.Split(Environment.NewLine);

        Assert.Equal("Remote command on build exited with status 100: apt-get install nginx", message[0]);
        Assert.Equal("stdout (last lines):", message[1]);
        Assert.Equal("  Unpacking package22 (1.0) ...", message[2]);
        Assert.Equal("  dpkg: error processing package nginx (--configure):", message[11]);
        Assert.Equal(["stderr (last lines):", "  E: Sub-process /usr/bin/dpkg returned an error code (1)"], message[12..]);
    }

    [Fact]
    public void Empty_streams_add_nothing()
    {
        var result = new RemoteCommandResult("false", 1, string.Empty, " \n", TimeSpan.Zero);

        Assert.Equal("Remote command on build exited with status 1: false", new RemoteCommandException("build", result).Message);
    }
}
