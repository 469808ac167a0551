using System.Text.Json.Nodes;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Packer;
using Cake.DoMarketplace.Pipeline;
using Cake.DoMarketplace.Tests.Pipeline;
using Cake.DoMarketplace.Tests.Support;
using NSubstitute;

namespace Cake.DoMarketplace.Tests.Packer;

/// <summary>
/// DoBuildPackerTemplates on fakes: each builder of a two-builder template builds as a variant of DoBuildImages against its own
/// fake cloud, so the tests read which builder ran what and which droplet a failing one removed.
/// </summary>
public sealed class PackerTemplatesOnFakesTests : IDisposable
{
    private readonly PackerTemplateFiles files = new();
    private readonly SignalCancellation signals = new();
    private readonly Dictionary<string, FakeBuildCloud> clouds = new(StringComparer.Ordinal);

    public PackerTemplatesOnFakesTests()
    {
        clouds["a"] = new FakeBuildCloud(files.Folder, 0);
        clouds["b"] = new FakeBuildCloud(files.Folder, 1);
    }

    public void Dispose() => files.Dispose();

    [Fact]
    public void Each_builder_builds_on_its_own_droplet_with_its_build_name_and_its_own_provisioners()
    {
        var result = Build(new PackerTemplateSettings());

        Assert.Equal(["a", "b"], result.Variants.Select(v => v.Name));
        Assert.All(result.Variants, v => Assert.Equal(VariantStatus.Succeeded, v.Status));
        foreach (var (name, cloud) in clouds)
        {
            Assert.Contains(cloud.Session.Files.Values, f => f.Content.Contains($"echo built by {name}\n", StringComparison.Ordinal));
            Assert.Contains(cloud.Session.Commands, c => c.Contains($"PACKER_BUILD_NAME='{name}'", StringComparison.Ordinal));
            cloud.Api.Received(1).PostDropletActionAsync(cloud.OwnDropletId, Arg.Is<DoActionRequest>(r => r.Type == "snapshot" && r.Name == $"img-{name}"),
                Arg.Any<CancellationToken>());
            Assert.Equal([$"delete droplet {cloud.OwnDropletId}", $"delete key {cloud.OwnKeyId}"], cloud.Deletes);
        }

        Assert.DoesNotContain(result.Variants[0].Steps, s => s.Name.StartsWith("provisioners[1]", StringComparison.Ordinal));
        Assert.Contains(result.Variants[1].Steps, s => s.Name.StartsWith("provisioners[1]", StringComparison.Ordinal)); // "only": ["b"]
        Assert.Contains(files.Log.Lines, l => l.Text.StartsWith("[b] ", StringComparison.Ordinal)
            && l.Text.Contains("provisioners[1]", StringComparison.Ordinal));
        Assert.Matches(@"(?m)^Step\s+a\s+b$", files.Log.AllText);
    }

    [Fact]
    public void Only_builds_the_named_builder_and_creates_nothing_for_the_other()
    {
        var settings = new PackerTemplateSettings();
        settings.Only.Add("b");

        var result = Build(settings);

        Assert.Equal("b", Assert.Single(result.Variants).Name);
        Assert.Empty(clouds["a"].Api.ReceivedCalls());
    }

    [Fact]
    public void A_failing_builder_removes_its_droplet_and_the_other_goes_on()
    {
        clouds["b"].Session.Reply("PACKER_BUILD_NAME='b'", "broken\n", exit: 3);
        var settings = new PackerTemplateSettings();
        settings.Builds.ThrowOnFailure = false;

        var result = Build(settings);

        Assert.Equal([VariantStatus.Succeeded, VariantStatus.Failed], result.Variants.Select(v => v.Status));
        Assert.Contains($"delete droplet {clouds["b"].OwnDropletId}", clouds["b"].Deletes);
        Assert.DoesNotContain("droplet action snapshot", clouds["b"].Calls);
    }

    [Fact]
    public void A_wrong_builder_field_is_named_with_its_builder_before_anything_is_created()
    {
        var json = Template();
        json["builders"]![1]!["state_timeout"] = "0s";

        var error = Assert.Throws<DoSettingsException>(() => Build(new PackerTemplateSettings(), json));

        Assert.StartsWith("marketplace-image.json: builders[1].state_timeout (as BuildDropletSettings.ActiveTimeout)", error.Message, StringComparison.Ordinal);
        Assert.All(clouds.Values, c => Assert.Empty(c.Api.ReceivedCalls()));
    }

    private static JsonObject Template()
    {
        var builder = new JsonObject
        {
            ["type"] = "digitalocean", ["api_token"] = "dop_v1_" + new string('a', 64), ["api_url"] = "https://fake.invalid/",
            ["image"] = "debian-12-x64", ["region"] = "nyc3", ["size"] = "s-1vcpu-1gb", ["droplet_name"] = "fake-build",
            ["snapshot_name"] = "img-{{build_name}}",
        };
        var second = builder.DeepClone();
        builder["name"] = "a";
        second["name"] = "b";
        return new JsonObject
        {
            ["builders"] = new JsonArray(builder, second),
            ["provisioners"] = JsonNode.Parse("""
                [ { "type": "shell", "inline": [ "echo built by {{build_name}}" ] },
                  { "type": "shell", "inline": [ "echo b only" ], "only": [ "b" ] } ]
                """),
        };
    }

    private ImageBuildsResult Build(PackerTemplateSettings settings, JsonObject? template = null)
    {
        settings.UpdatePackages = false;
        settings.TestImage = false;
        settings.Validation.FailOnError = false;
        settings.Validation.RefreshPackageIndex = false;
        var path = files.Write(template ?? Template());
        return files.Build().BuildAll(Path.GetFileName(path), path, settings, signals, (name, log) => clouds[name].Pipeline(log, signals));
    }
}
