using System.Text.Json.Nodes;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Packer;

namespace Cake.DoMarketplace.Tests.Packer;

/// <summary>Reading templates: the sample, variables and overrides, template functions, the mapping onto DoBuildImage.</summary>
public sealed class PackerTemplateReaderTests : IDisposable
{
    private readonly PackerTemplateFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void The_sample_template_reads_into_its_builder_and_seven_provisioners_in_order()
    {
        var settings = new PackerTemplateSettings();
        settings.Variables["application_version"] = "2.0";

        var template = files.Read(Path.Combine(PackerTemplateFiles.SampleFolder, "marketplace-image.json"), settings);

        Assert.Equal(("debian-12-x64", "nyc3", "s-1vcpu-1gb"), (template.Builder.Image, template.Builder.Region, template.Builder.Size));
        Assert.Equal("packer-sample-1773500966", template.Builder.SnapshotName);
        Assert.Equal(PackerTemplateFiles.Token, template.Builder.Token);
        Assert.Equal(TimeSpan.FromMinutes(6), template.Builder.StateTimeout);
        Assert.Equal(["shell", "file", "file", "file", "shell", "shell", "shell"],
            template.Provisioners.Select(p => p.Provisioner is ShellProvisioner ? "shell" : "file"));
        var install = (ShellProvisioner)template.Provisioners[4].Provisioner;
        Assert.Contains(new KeyValuePair<string, string>("application_version", "2.0"), install.Environment);
        Assert.Contains("built by $PACKER_BUILDER_TYPE at 1773500966", install.Scripts[0].Content);
        Assert.StartsWith("#!/bin/sh -e\n", install.Scripts[0].Content);
        var scripts = (ShellProvisioner)template.Provisioners[6].Provisioner;
        Assert.Equal(["scripts/01-sample.sh", "scripts/90-cleanup.sh", "scripts/99-img-check.sh"], scripts.Scripts.Select(s => s.Name));
        var license = (ShellProvisioner)template.Provisioners[5].Provisioner;
        Assert.Equal([0, 3], license.ValidExitCodes);
        Assert.Equal(TimeSpan.FromSeconds(1), license.Timing.PauseBefore);
        var etc = Assert.Single(((FileProvisioner)template.Provisioners[1].Provisioner).Uploads);
        Assert.Equal((true, "/etc"), (etc.IsDirectory, etc.RemotePath));
        var opt = Assert.Single(((FileProvisioner)template.Provisioners[3].Provisioner).Uploads);
        Assert.Equal("/opt", opt.RemotePath);
    }

    [Fact]
    public void The_mapping_fills_DoBuildImage_settings_from_the_builder_and_keeps_the_callers_settings_unwritten()
    {
        var json = PackerTemplateFiles.Minimal();
        var builder = json["builders"]![0]!.AsObject();
        builder["api_token"] = "";
        builder["snapshot_regions"] = new JsonArray("nyc3", "ams3", "sfo3");
        builder["tags"] = new JsonArray("sample");
        builder["droplet_name"] = "sample-build";
        builder["snapshot_timeout"] = "1h30m";
        var settings = new PackerTemplateSettings { TestImage = false };
        settings.Cleanup.UpdatePackages = false;
        var build = files.Build();

        var image = build.ImageSettings(files.Read(json, settings), settings);

        Assert.Equal(PackerTemplateFiles.Token, image.Droplet.Token); // empty api_token: the environment's, as the addin does
        Assert.Equal(["ams3", "sfo3"], image.Snapshot.TransferRegions);
        Assert.Equal(["sample"], image.Droplet.Tags);
        Assert.Equal("sample-build", image.Droplet.Name);
        Assert.Equal(TimeSpan.FromMinutes(90), image.Snapshot.SnapshotTimeout);
        Assert.Same(settings.Cleanup, image.Cleanup);
        Assert.False(image.UpdatePackages);
        Assert.False(image.TestImage);
        Assert.Single(image.RemoteSteps);
        Assert.Empty(settings.Variables);
    }

    [Fact]
    public void Variables_take_overrides_env_in_defaults_and_other_variables()
    {
        var json = PackerTemplateFiles.Minimal();
        json["variables"]!["region"] = "{{env `HOME_REGION`}}";
        json["variables"]!["name"] = "{{user `app`}}-{{user `region`}}";
        json["builders"]![0]!["region"] = "{{user `region`}}";
        json["builders"]![0]!["droplet_name"] = "{{user `name`}}";
        var settings = new PackerTemplateSettings();
        settings.Variables["app"] = "shop";

        var template = files.Read(json, settings);

        Assert.Equal("ams3", template.Builder.Region);
        Assert.Equal("shop-ams3", template.Builder.DropletName);
        Assert.Contains("echo shop", ((ShellProvisioner)template.Provisioners[0].Provisioner).Scripts[0].Content);
    }

    [Fact]
    public void An_override_of_an_undeclared_variable_and_a_missing_required_one_are_refused_naming_the_setting()
    {
        var settings = new PackerTemplateSettings();
        settings.Variables["nope"] = "x";
        var undeclared = Assert.Throws<DoSettingsException>(() => files.Read(PackerTemplateFiles.Minimal(), settings));
        Assert.Equal("PackerTemplateSettings.Variables[\"nope\"]", undeclared.Setting);
        Assert.Contains("declares no variable 'nope' (it declares: do_api_token, app)", undeclared.Message);

        var json = PackerTemplateFiles.Minimal();
        json["variables"]!["license"] = null;
        var required = Assert.Throws<DoSettingsException>(() => files.Read(json));
        Assert.Equal("marketplace-image.json: variables.license is required (its default is null): set PackerTemplateSettings.Variables[\"license\"].",
            required.Message);
    }

    [Fact]
    public void Timestamp_is_unix_seconds_and_isotime_takes_a_go_layout()
    {
        var json = PackerTemplateFiles.Minimal();
        json["builders"]![0]!["snapshot_name"] = "app-{{timestamp}}-{{isotime \"2006-01-02-1504\"}}-{{ isotime `Jan 2 15:04:05` }}";
        json["builders"]![0]!["droplet_name"] = "{{build_name}}-{{build_type}}";

        var template = files.Read(json);

        Assert.Equal("app-1773500966-2026-03-14-1509-Mar 14 15:09:26", template.Builder.SnapshotName);
        Assert.Equal(1773500966, new DateTimeOffset(PackerTemplateFiles.Started).ToUnixTimeSeconds());
        Assert.Equal("digitalocean-digitalocean", template.Builder.DropletName);
    }

    [Fact]
    public void Sensitive_variables_are_redacted_from_log_lines_and_errors()
    {
        var json = PackerTemplateFiles.Minimal();
        json["variables"]!["db_password"] = "s3cret-db-password-42";
        json["sensitive-variables"] = new JsonArray("do_api_token", "db_password");
        var settings = new PackerTemplateSettings();
        settings.Variables["db_password"] = "overridden-password-99";

        files.Read(json, settings);

        Assert.Equal("connect with *** now", SecretRedactor.Redact("connect with overridden-password-99 now"));
        Assert.Equal("token ***", SecretRedactor.Redact($"token {PackerTemplateFiles.Token}"));
    }

    [Fact]
    public void Provisioners_only_for_the_build_are_kept_and_one_naming_a_builder_the_template_lacks_is_refused_as_in_Packer()
    {
        var json = PackerTemplateFiles.Minimal();
        json["provisioners"]!.AsArray().Add(JsonNode.Parse("""{ "type": "shell", "inline": ["echo ours"], "only": ["digitalocean"] }"""));
        Assert.Equal(["provisioners[0]", "provisioners[1]"], files.Read(json).Provisioners.Select(p => p.Place));

        // Packer: "'only' specified builder 'amazon-ebs' not found"; a typo would otherwise skip the provisioner everywhere.
        json["provisioners"]!.AsArray().Add(JsonNode.Parse("""{ "type": "shell", "inline": ["echo other"], "only": ["amazon-ebs"] }"""));
        var error = Assert.Throws<DoSettingsException>(() => files.Read(json));
        Assert.Equal("provisioners[2].only[0]", error.Setting);
    }
}
