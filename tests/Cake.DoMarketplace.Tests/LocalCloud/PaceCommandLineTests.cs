using Cake.DoMarketplace.LocalCloud;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cake.DoMarketplace.Tests.LocalCloud;

/// <summary><c>--pace</c> and <c>--pace-factor</c> as the command reads them: off by default, a bad value refused naming the option.</summary>
public sealed class PaceCommandLineTests
{
    private static LocalCloudOptions Parse(params string[] args) =>
        CommandLine.Parse([.. args, "--token", "t"], NullLoggerFactory.Instance, _ => null).Options;

    [Fact]
    public void Without_the_option_the_pace_is_the_machines()
    {
        var options = Parse();

        Assert.Equal((LocalCloudPace.Machine, 1.0), (options.Pace, options.PaceFactor));
    }

    [Theory]
    [InlineData("digitalocean", "0.1", 0.1)]
    [InlineData("DigitalOcean", "2", 2.0)]
    [InlineData("digitalocean", ".05", 0.05)]
    public void Digitaloceans_pace_takes_a_factor(string pace, string factor, double expected)
    {
        var options = Parse("--pace", pace, "--pace-factor", factor);

        Assert.Equal((LocalCloudPace.DigitalOcean, expected), (options.Pace, options.PaceFactor));
    }

    [Fact]
    public void Digitaloceans_pace_alone_is_at_factor_1()
    {
        Assert.Equal((LocalCloudPace.DigitalOcean, 1.0), (Parse("--pace", "digitalocean").Pace, Parse("--pace", "digitalocean").PaceFactor));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("0.0")]
    [InlineData("abc")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("0,1")]
    [InlineData("")]
    public void A_factor_that_is_not_a_number_above_0_is_refused_naming_the_option(string factor)
    {
        var e = Assert.Throws<CommandLineException>(() => Parse("--pace", "digitalocean", "--pace-factor", factor));

        Assert.Equal(
            $"--pace-factor takes a number above 0 that DigitalOcean's times are multiplied by, such as 1 or 0.1; '{factor}' is not one.", e.Message);
    }

    [Fact]
    public void An_unknown_pace_is_refused_with_the_ones_there_are()
    {
        var e = Assert.Throws<CommandLineException>(() => Parse("--pace", "aws"));

        Assert.Equal("--pace takes machine (as fast as this machine, the default) or digitalocean; 'aws' is neither.", e.Message);
    }

    [Fact]
    public void A_factor_without_digitaloceans_pace_is_refused_instead_of_ignored()
    {
        var e = Assert.Throws<CommandLineException>(() => Parse("--pace-factor", "0.1"));

        Assert.Equal("--pace-factor scales DigitalOcean's pace: add --pace digitalocean, or leave --pace-factor out.", e.Message);
    }

    [Fact]
    public async Task A_bad_factor_in_the_options_is_refused_before_the_cloud_starts()
    {
        var options = new LocalCloudOptions { Pace = LocalCloudPace.DigitalOcean, PaceFactor = 0, DataDirectory = Path.GetTempPath() };
        options.Tokens.Add("t");

        var e = await Assert.ThrowsAsync<ArgumentException>(
            () => LocalCloudServer.StartInMemoryAsync(options, new Cake.DoMarketplace.LocalCloud.Machines.InMemoryMachineHost()));

        Assert.StartsWith("LocalCloudOptions.PaceFactor must be a number above 0 (such as 1 or 0.1); 0 is not.", e.Message);
    }
}
