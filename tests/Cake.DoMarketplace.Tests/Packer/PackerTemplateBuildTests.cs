using System.Diagnostics;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.Packer;
using Cake.DoMarketplace.Tests.Support;
using Xunit.Abstractions;

namespace Cake.DoMarketplace.Tests.Packer;

/// <summary>DoBuildPackerTemplate on the local cloud: a marketplace-partners style template builds unchanged; an unsupported one creates nothing.</summary>
[Trait("Category", "Integration")]
public sealed class PackerTemplateBuildTests(LocalCloudFixture cloud, ITestOutputHelper output) : IClassFixture<LocalCloudFixture>, IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("cdm-packer-build-").FullName;

    public void Dispose() => Directory.Delete(work, true);

    [Fact]
    public async Task The_sample_template_builds_unchanged_into_a_validated_snapshot_with_its_provisioners_in_order()
    {
        var log = new RecordingLog();
        var context = cloud.Context(log, work);
        var clock = Stopwatch.StartNew();

        var result = context.DoBuildPackerTemplate(Path.Combine(PackerTemplateFiles.SampleFolder, "marketplace-image.json"), s =>
        {
            s.Variables["application_version"] = "2.0";
            s.Cleanup.UpdatePackages = false;
            s.Cleanup.FreeSpace = FreeSpaceHandling.Skip;
            s.Validation.RefreshPackageIndex = false;
            s.Validation.ReportDirectory = null;
            s.Test.Reboot = false;
            s.Test.ReportDirectory = null;
        });

        output.WriteLine($"built in {clock.Elapsed}");
        output.WriteLine(log.AllText);
        Assert.Matches(@"^packer-sample-\d{10}$", result.Image.Name);
        Assert.False(result.Validation.HasFailures);
        Assert.False(Assert.IsType<ValidationReport>(result.Test).HasFailures); // the image test, which Packer does not have
        Assert.Contains("img_check: all provisioners did their part", log.AllText);
        Assert.Contains("license key in use: ***", log.AllText);
        Assert.DoesNotContain("sample-license-7f3a9c21e5d04b68", log.AllText);
        Assert.DoesNotContain(LocalCloudFixture.Token, log.AllText);
        var titles = result.Steps.Select(s => s.Name).ToList();
        Assert.Equal(
            ["provisioners[0] shell", "provisioners[1] file", "provisioners[2] file", "provisioners[3] file", "provisioners[4] shell", "provisioners[5] shell",
                "provisioners[6] shell"],
            titles.Where(t => t.StartsWith("provisioners[", StringComparison.Ordinal)).Select(t => t[..t.IndexOf(':', StringComparison.Ordinal)]));
        Assert.True(
            titles.IndexOf("provisioners[6] shell: scripts/01-sample.sh, scripts/90-cleanup.sh, scripts/99-img-check.sh") < titles.FindIndex(t
            => t.StartsWith("Validate", StringComparison.Ordinal)));
        Assert.Empty(cloud.Leftovers());
        using var api = new DoApiClient(new DoApiOptions { Token = LocalCloudFixture.Token, BaseUrl = cloud.BaseUrl });
        Assert.Empty(await api.ListDropletsByTagAsync(BuildIdentity.AddinTag));
        Assert.True(await api.DeleteImageAsync(result.Image.ImageId));
    }

    [Fact]
    public async Task A_template_with_an_ansible_provisioner_is_refused_before_any_droplet_or_key_exists()
    {
        var log = new RecordingLog();
        var context = cloud.Context(log, work);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Packer", "Templates", "unsupported-provisioner.json"),
            Path.Combine(work, "unsupported-provisioner.json"));

        var error = Assert.Throws<DoSettingsException>(() => context.DoBuildPackerTemplate("unsupported-provisioner.json"));

        Assert.Equal("unsupported-provisioner.json: provisioners[2].type 'ansible' is not supported; supported: shell, file", error.Message);
        using var api = new DoApiClient(new DoApiOptions { Token = LocalCloudFixture.Token, BaseUrl = cloud.BaseUrl });
        Assert.Empty(await api.ListDropletsByTagAsync(BuildIdentity.AddinTag));
        Assert.Empty(await api.ListSshKeysAsync());
        Assert.Empty(cloud.Leftovers());
    }

    [Fact]
    public async Task A_region_the_cloud_does_not_offer_is_refused_naming_the_builders_field()
    {
        var log = new RecordingLog();
        var context = cloud.Context(log, work);
        var template = PackerTemplateFiles.Minimal();
        template["builders"]![0]!["region"] = "xyz9";
        File.WriteAllText(Path.Combine(work, "template.json"), template.ToJsonString());

        var error = Assert.Throws<DoSettingsException>(() => context.DoBuildPackerTemplate("template.json", s => s.TestImage = false));

        Assert.Equal("builders[0].region", error.Setting);
        Assert.StartsWith("template.json: builders[0].region (as BuildDropletSettings.Region): BuildDropletSettings.Region 'xyz9'", error.Message);
        using var api = new DoApiClient(new DoApiOptions { Token = LocalCloudFixture.Token, BaseUrl = cloud.BaseUrl });
        Assert.Empty(await api.ListDropletsByTagAsync(BuildIdentity.AddinTag));
        Assert.Empty(await api.ListSshKeysAsync());
    }

    [Fact]
    public async Task A_reboot_with_expect_disconnect_is_survived_and_the_next_provisioner_runs_on_the_rebooted_droplet()
    {
        var log = new RecordingLog();
        var context = cloud.Context(log, work);
        var template = PackerTemplateFiles.Minimal();
        template["provisioners"] = System.Text.Json.Nodes.JsonNode.Parse("""
            [ { "type": "shell", "inline": ["cat /proc/sys/kernel/random/boot_id > /root/boot-before", "reboot"], "expect_disconnect": true,
                "skip_clean": true },
              { "type": "shell", "inline": ["! cmp -s /proc/sys/kernel/random/boot_id /root/boot-before", "rm /root/boot-before", "echo rebooted"],
                  "pause_before": "5s" } ]
            """);
        File.WriteAllText(Path.Combine(work, "template.json"), template.ToJsonString());

        var result = context.DoBuildPackerTemplate("template.json", s =>
        {
            s.Cleanup.UpdatePackages = false;
            s.Cleanup.FreeSpace = FreeSpaceHandling.Skip;
            s.Validation.RefreshPackageIndex = false;
            s.Validation.ReportDirectory = null;
            s.TestImage = false;
        });

        output.WriteLine(log.AllText);
        Assert.Contains("rebooted", log.AllText);
        Assert.Empty(cloud.Leftovers());
        using var api = new DoApiClient(new DoApiOptions { Token = LocalCloudFixture.Token, BaseUrl = cloud.BaseUrl });
        Assert.True(await api.DeleteImageAsync(result.Image.ImageId));
    }

    [Fact]
    public async Task A_provisioner_past_its_timeout_is_stopped_and_the_build_fails_naming_the_field_with_nothing_left()
    {
        var log = new RecordingLog();
        var context = cloud.Context(log, work);
        var template = PackerTemplateFiles.Minimal();
        template["provisioners"] = System.Text.Json.Nodes.JsonNode.Parse("""
            [ { "type": "shell", "inline": ["echo provisioning started", "sleep 600"], "timeout": "5s" } ]
            """);
        File.WriteAllText(Path.Combine(work, "template.json"), template.ToJsonString());

        var error = Assert.Throws<WaitTimeoutException>(() => context.DoBuildPackerTemplate("template.json", s => s.TestImage = false));

        Assert.Equal("provisioners[0].timeout in template.json", error.Setting);
        Assert.StartsWith("Timed out after 5.0s waiting for provisioners[0] shell: 2 inline command(s) on ", error.Message);
        Assert.EndsWith("Raise provisioners[0].timeout in template.json if this step is legitimately slow.", error.Message);
        Assert.Contains("provisioning started", log.AllText);
        Assert.Empty(cloud.Leftovers());
        using var api = new DoApiClient(new DoApiOptions { Token = LocalCloudFixture.Token, BaseUrl = cloud.BaseUrl });
        Assert.Empty(await api.ListDropletsByTagAsync(BuildIdentity.AddinTag));
        Assert.Empty(await api.ListSshKeysAsync());
    }
}
