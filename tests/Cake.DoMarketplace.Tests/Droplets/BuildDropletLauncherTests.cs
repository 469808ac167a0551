using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace Cake.DoMarketplace.Tests.Droplets;

public sealed class BuildDropletLauncherTests
{
    /// <summary>The id the API gives the temporary SSH key (an array: the request's ssh_keys, compared in an expression tree).</summary>
    private static readonly string[] TemporaryKeyIds = ["55"];

    private readonly IDoApiClient api = Substitute.For<IDoApiClient>();
    private readonly RecordingLog log = new();
    private readonly FakeSession session = new FakeSession { Label = "b" }.Reply("cloud-init", "status: done\n");
    private SshConnectOptions? connectedWith;

    public BuildDropletLauncherTests()
    {
        api.BaseUrl.Returns(new Uri("http://127.0.0.1:1/"));
        api.ListRegionsAsync(Arg.Any<CancellationToken>()).Returns(
        [
            new DoRegion { Slug = "nyc3", Available = true, Sizes = ["s-1vcpu-512mb-10gb", "s-1vcpu-1gb"] },
            new DoRegion { Slug = "ams3", Available = true, Sizes = ["s-1vcpu-1gb"] },
            new DoRegion { Slug = "old1", Available = false },
        ]);
        api.ListSizesAsync(Arg.Any<CancellationToken>()).Returns(
        [
            new DoSize { Slug = "s-1vcpu-1gb", PriceMonthly = 6, Memory = 1024, Available = true, Regions = ["nyc3", "ams3"] },
            new DoSize { Slug = "s-1vcpu-512mb-10gb", PriceMonthly = 4, Memory = 512, Available = true, Regions = ["nyc3"] },
        ]);
        api.GetImageAsync("debian-12-x64", Arg.Any<CancellationToken>()).Returns(
            new DoImage { Id = 1, Slug = "debian-12-x64", Distribution = "Debian", Name = "12 x64", Regions = ["nyc3", "ams3"] });
        api.GetImageAsync("fedora-39-x64", Arg.Any<CancellationToken>()).Returns(
            new DoImage { Id = 2, Slug = "fedora-39-x64", Distribution = "Fedora", Name = "39 x64", Regions = ["nyc3"] });
        api.GetImageAsync("missing", Arg.Any<CancellationToken>()).ThrowsAsync(
            new DoApiException(HttpMethod.Get, "/v2/images/missing", System.Net.HttpStatusCode.NotFound, "not_found", "gone", "r"));
        api.CreateSshKeyAsync(Arg.Any<string>(), Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns(new DoSshKey { Id = 55 });
        api.CreateDropletAsync(Arg.Any<DoDropletCreateRequest>(), Arg.Any<CancellationToken>()).Returns(new DoDroplet { Id = 9, Status = "new" });
        api.GetDropletAsync(9, Arg.Any<CancellationToken>()).Returns(
            new DoDroplet { Id = 9, Status = "new" },
            new DoDroplet { Id = 9, Status = "active",
                Networks = new DoNetworks { V4 = [new DoNetworkAddress { IpAddress = "192.0.2.10", Type = "public" }] } });
        api.DeleteDropletAsync(Arg.Any<long>(), Arg.Any<CancellationToken>()).Returns(true);
        api.DeleteSshKeyAsync(Arg.Any<long>(), Arg.Any<CancellationToken>()).Returns(true);
    }

    private BuildDropletLauncher Launcher() => new(api, log, (options, _) =>
    {
        connectedWith = options;
        return Task.FromResult<IRemoteSession>(session);
    });

    [Fact]
    public async Task Creates_the_guide_droplet_with_the_cheapest_size_and_temporary_key_then_waits_for_ssh_and_cloud_init()
    {
        var droplet = await Launcher().LaunchAsync(new BuildDropletSettings { Name = "myapp-build" }, CancellationToken.None);

        await api.Received(1).CreateDropletAsync(Arg.Is<DoDropletCreateRequest>(r =>
            r.Name == "myapp-build" && r.Region == "nyc3" && r.Size == "s-1vcpu-512mb-10gb" && r.Image == "debian-12-x64"
            && r.SshKeys.SequenceEqual(TemporaryKeyIds) && r.Monitoring == false && !r.Ipv6 && !r.Backups && r.WithDropletAgent == false
            && r.Tags.Contains("cake-domarketplace")), Arg.Any<CancellationToken>());
        await api.Received(1).CreateSshKeyAsync(Arg.Any<string>(), Arg.Is<string>(k => k.StartsWith("ssh-ed25519 AAAA")), Arg.Any<CancellationToken>());
        Assert.Equal("192.0.2.10", connectedWith!.Host);
        Assert.Equal("root", connectedWith.User);
        Assert.Contains(session.Commands, c => c.Contains("cloud-init status --wait"));
        Assert.Equal(9, droplet.Id);
        Assert.Equal("192.0.2.10", droplet.PublicIPv4);
        Assert.Contains("Waiting for droplet 9 to become active", log.AllText);
    }

    [Theory]
    [InlineData("Region", "xyz9", "is not a DigitalOcean region")]
    [InlineData("Region", "old1", "is not accepting new droplets")]
    [InlineData("Size", "s-64vcpu", "is not a DigitalOcean droplet size")]
    [InlineData("Image", "missing", "is neither a public image slug")]
    [InlineData("Image", "fedora-39-x64", "does not accept")]
    public async Task Refuses_bad_region_size_or_image_before_creating_anything(string setting, string value, string expected)
    {
        var settings = new BuildDropletSettings();
        typeof(BuildDropletSettings).GetProperty(setting)!.SetValue(settings, value);

        var error = await Assert.ThrowsAsync<DoSettingsException>(() => Launcher().LaunchAsync(settings, CancellationToken.None));

        Assert.Equal($"BuildDropletSettings.{setting}", error.Setting);
        Assert.Contains(expected, error.Message);
        await api.DidNotReceiveWithAnyArgs().CreateSshKeyAsync(default!, default!, default);
        await api.DidNotReceiveWithAnyArgs().CreateDropletAsync(default!, default);
    }

    [Fact]
    public async Task Refuses_a_size_not_offered_in_the_region()
    {
        var error = await Assert.ThrowsAsync<DoSettingsException>(()
            => Launcher().LaunchAsync(new BuildDropletSettings { Region = "ams3", Size = "s-1vcpu-512mb-10gb" }, CancellationToken.None));
        Assert.Contains("not available in region 'ams3'", error.Message);
    }

    [Theory]
    [InlineData("bad name!", "Name")]
    [InlineData("trailing-", "Name")]
    [InlineData("under_score", "Name")]
    public void Local_checks_name_the_setting(string name, string setting)
    {
        var error = Assert.Throws<DoSettingsException>(() => BuildDropletPlan.CheckLocally(new BuildDropletSettings { Name = name }));
        Assert.Equal($"BuildDropletSettings.{setting}", error.Setting);
    }

    [Fact]
    public void Local_checks_cover_tags_user_data_and_timeouts()
    {
        var tagged = new BuildDropletSettings();
        tagged.Tags.Add("has space");
        Assert.Equal("BuildDropletSettings.Tags", Assert.Throws<DoSettingsException>(() => BuildDropletPlan.CheckLocally(tagged)).Setting);
        Assert.Equal("BuildDropletSettings.UserData",
            Assert.Throws<DoSettingsException>(()
            => BuildDropletPlan.CheckLocally(new BuildDropletSettings { UserData = new string('x', 65 * 1024) })).Setting);
        Assert.Equal("BuildDropletSettings.ActiveTimeout",
            Assert.Throws<DoSettingsException>(() => BuildDropletPlan.CheckLocally(new BuildDropletSettings { ActiveTimeout = TimeSpan.Zero })).Setting);
    }

    [Fact]
    public async Task Removes_droplet_and_key_when_a_later_step_fails()
    {
        session.Reply("cloud-init", "status: error\n", exit: 1);

        await Assert.ThrowsAsync<RemoteCommandException>(() => Launcher().LaunchAsync(new BuildDropletSettings(), CancellationToken.None));

        await api.Received(1).DeleteDropletAsync(9, Arg.Any<CancellationToken>());
        await api.Received(1).DeleteSshKeyAsync(55, Arg.Any<CancellationToken>());
        Assert.False(session.IsConnected);
    }

    [Fact]
    public async Task A_token_missing_read_scopes_is_refused_with_all_of_them_before_anything_is_created()
    {
        api.ListSizesAsync(Arg.Any<CancellationToken>()).ThrowsAsync(
            new DoScopeMissingException(HttpMethod.Get, "/v2/sizes?per_page=200", "sizes:read", "forbidden", "no", "r"));
        api.FindMissingReadScopesAsync(Arg.Any<IEnumerable<string>>(), Arg.Any<CancellationToken>()).Returns(["droplet:read"]);

        var error = await Assert.ThrowsAsync<DoScopeMissingException>(() => Launcher().LaunchAsync(new BuildDropletSettings(), CancellationToken.None));

        Assert.Equal(["sizes:read", "droplet:read"], error.MissingScopes);
        Assert.StartsWith(
            "The DigitalOcean token lacks the scopes sizes:read, droplet:read: the read-only requests GET v2/sizes?per_page=200, GET v2/droplets?per_page=1 "
            + "answered 403 forbidden. Nothing has been created.", error.Message);
        await api.DidNotReceiveWithAnyArgs().CreateSshKeyAsync(default!, default!, default);
        await api.DidNotReceiveWithAnyArgs().CreateDropletAsync(default!, default);
    }

    [Fact]
    public async Task The_preflight_asks_only_for_the_launch_read_scopes_the_plan_reads_were_not_refused()
    {
        api.GetImageAsync("debian-12-x64", Arg.Any<CancellationToken>()).ThrowsAsync(
            new DoScopeMissingException(HttpMethod.Get, "/v2/images/debian-12-x64", "image:read", "forbidden", "no", "r"));
        IEnumerable<string>? probed = null;
        api.FindMissingReadScopesAsync(Arg.Do<IEnumerable<string>>(s => probed = s.ToList()), Arg.Any<CancellationToken>()).Returns([]);

        var error = await Assert.ThrowsAsync<DoScopeMissingException>(() => Launcher().LaunchAsync(new BuildDropletSettings(), CancellationToken.None));

        Assert.Equal(["image:read"], error.MissingScopes);
        // The refused image:read is not probed again, regions:read and ssh_key:read are not needed (DoApiScopes.LaunchReadScopes);
        // the client skips sizes:read, proven by
        // the sizes (ScopeErrorTests.A_scope_an_earlier_answer_proved_is_not_probed_again).
        Assert.Equal(["sizes:read", "droplet:read"], probed);
        await api.DidNotReceiveWithAnyArgs().CreateSshKeyAsync(default!, default!, default);
        await api.DidNotReceiveWithAnyArgs().ListRegionsAsync(default);
    }

    [Fact]
    public async Task A_create_refused_for_its_scope_removes_the_registered_key_and_names_the_scope()
    {
        api.CreateDropletAsync(Arg.Any<DoDropletCreateRequest>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(
                new DoScopeMissingException(HttpMethod.Post, "v2/droplets", "droplet:create", "forbidden",
                "You are not authorized to perform this operation", "r"));

        var error = await Assert.ThrowsAsync<DoScopeMissingException>(() => Launcher().LaunchAsync(new BuildDropletSettings(), CancellationToken.None));

        Assert.Equal("droplet:create", error.MissingScope);
        await api.Received(1).CreateDropletAsync(Arg.Any<DoDropletCreateRequest>(), Arg.Any<CancellationToken>());
        await api.Received(1).DeleteSshKeyAsync(55, Arg.Any<CancellationToken>());
        Assert.Contains("Deleted temporary SSH key 55", log.AllText);
    }

    [Fact]
    public async Task Removes_the_key_when_the_create_itself_fails()
    {
        api.CreateDropletAsync(Arg.Any<DoDropletCreateRequest>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(
                new DoApiException(HttpMethod.Post, "/v2/droplets", (System.Net.HttpStatusCode)422, "unprocessable_entity",
                "You specified an invalid image for Droplet creation.", "r"));

        await Assert.ThrowsAsync<DoApiException>(() => Launcher().LaunchAsync(new BuildDropletSettings(), CancellationToken.None));

        await api.DidNotReceiveWithAnyArgs().DeleteDropletAsync(default, default);
        await api.Received(1).DeleteSshKeyAsync(55, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task The_host_key_is_made_by_the_build_sent_in_user_data_and_pinned()
    {
        await Launcher().LaunchAsync(new BuildDropletSettings { UserData = "#!/bin/sh\necho mine\n" }, CancellationToken.None);

        var request = (DoDropletCreateRequest)api.ReceivedCalls().Single(c
            => c.GetMethodInfo().Name == nameof(IDoApiClient.CreateDropletAsync)).GetArguments()[0]!;
        Assert.StartsWith("Content-Type: multipart/mixed", request.UserData);
        Assert.Contains("ed25519_private: |", request.UserData);
        Assert.Contains("Content-Type: text/x-shellscript", request.UserData);
        Assert.Contains("echo mine", request.UserData);
        Assert.True(connectedWith!.HostKeys.IsPinned);
        var publicLine = request.UserData!.Split('\n').Single(l => l.Contains("ed25519_public:", StringComparison.Ordinal)).Split("ed25519_public: ")[1];
        Assert.True(connectedWith.HostKeys.Accepts(Convert.FromBase64String(publicLine.Split(' ')[1])));
        Assert.DoesNotContain("PRIVATE KEY", log.AllText);
    }
}
