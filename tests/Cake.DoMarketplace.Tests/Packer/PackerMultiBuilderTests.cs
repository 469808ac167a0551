using System.Text.Json.Nodes;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Packer;

namespace Cake.DoMarketplace.Tests.Packer;

/// <summary>Templates with several <c>digitalocean</c> builders, read as Packer reads them: names, {{build_name}}, only/except, -only/-except.</summary>
public sealed class PackerMultiBuilderTests : IDisposable
{
    private readonly PackerTemplateFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Every_builder_becomes_a_build_with_its_own_name_place_and_build_name()
    {
        var json = PackerTemplateFiles.TwoBuilders();
        json["builders"]![0]!["snapshot_name"] = "app-{{build_name}}-{{build_type}}";
        json["builders"]![1]!["snapshot_name"] = "app-{{build_name}}";
        json["provisioners"] = JsonNode.Parse("""
            [ { "type": "shell", "inline": [ "echo built by {{build_name}}" ], "environment_vars": [ "BUILD={{build_name}}" ] },
              { "type": "file", "content": "{{build_name}}", "destination": "/etc/{{build_name}}.txt" } ]
            """);

        var builds = files.ReadAll(json);

        Assert.Equal(["debian-12", "debian-13"], builds.Select(b => b.Builder.Name));
        Assert.Equal(["builders[0]", "builders[1]"], builds.Select(b => b.Place));
        Assert.Equal(["debian-12-x64", "debian-13-x64"], builds.Select(b => b.Builder.Image));
        Assert.Equal(["app-debian-12-digitalocean", "app-debian-13"], builds.Select(b => b.Builder.SnapshotName));
        foreach (var build in builds)
        {
            var shell = (ShellProvisioner)build.Provisioners[0].Provisioner;
            Assert.Contains($"echo built by {build.Builder.Name}\n", shell.Scripts[0].Content, StringComparison.Ordinal);
            Assert.Equal(new KeyValuePair<string, string>("BUILD", build.Builder.Name), Assert.Single(shell.Environment));
            var file = (FileProvisioner)build.Provisioners[1].Provisioner;
            Assert.Equal((build.Builder.Name, $"/etc/{build.Builder.Name}.txt"), (file.Content, file.Destination));
        }
    }

    [Fact]
    public void Two_builders_without_names_collide_as_in_Packer()
    {
        var json = PackerTemplateFiles.TwoBuilders();
        json["builders"]![0]!.AsObject().Remove("name");
        json["builders"]![1]!.AsObject().Remove("name");

        var error = Assert.Throws<DoSettingsException>(() => files.ReadAll(json));

        Assert.Equal("builders[1].name", error.Setting);
        Assert.StartsWith(
            "marketplace-image.json: builders[1].name is 'digitalocean', the name of builders[0] too (a builder without a name is named after its type)",
            error.Message);
    }

    [Fact]
    public void A_named_builder_and_an_unnamed_one_are_both_built_the_unnamed_one_under_its_type()
    {
        var json = PackerTemplateFiles.TwoBuilders();
        json["builders"]![1]!.AsObject().Remove("name");

        Assert.Equal(["debian-12", "digitalocean"], files.ReadAll(json).Select(b => b.Builder.Name));
    }

    [Fact]
    public void Provisioners_only_and_except_choose_their_builders()
    {
        var json = PackerTemplateFiles.TwoBuilders();
        json["provisioners"] = JsonNode.Parse("""
            [ { "type": "shell", "inline": [ "echo all" ] },
              { "type": "shell", "inline": [ "echo twelve" ], "only": [ "debian-12" ] },
              { "type": "shell", "inline": [ "echo not twelve" ], "except": [ "debian-12" ] } ]
            """);

        var builds = files.ReadAll(json);

        Assert.Equal(["provisioners[0]", "provisioners[1]"], builds[0].Provisioners.Select(p => p.Place));
        Assert.Equal(["provisioners[0]", "provisioners[2]"], builds[1].Provisioners.Select(p => p.Place));
    }

    [Theory]
    [InlineData("""{ "type": "shell", "inline": [ "true" ], "only": [ "debian-14" ] }""", "provisioners[0].only[0]",
        "names 'debian-14', which is not a builder of this template; its builders: debian-12, debian-13")]
    [InlineData("""{ "type": "shell", "inline": [ "true" ], "except": [ "debian-12", "nope" ] }""", "provisioners[0].except[1]",
        "names 'nope', which is not a builder of this template; its builders: debian-12, debian-13")]
    [InlineData("""{ "type": "shell", "inline": [ "true" ], "only": [ "debian-12" ], "except": [ "debian-13" ] }""", "provisioners[0].only",
        "and except are both set; as in Packer, use one of them")]
    public void A_provisioners_only_or_except_naming_no_builder_or_both_set_is_refused(string provisioner, string field, string problem)
    {
        var json = PackerTemplateFiles.TwoBuilders();
        json["provisioners"] = new JsonArray(JsonNode.Parse(provisioner));

        var error = Assert.Throws<DoSettingsException>(() => files.ReadAll(json));

        Assert.Equal((field, $"marketplace-image.json: {field} {problem}"), (error.Setting, error.Message));
    }

    [Fact]
    public void Only_and_Except_choose_the_builders_that_build()
    {
        var only = new PackerTemplateSettings();
        only.Only.Add("debian-13");
        var except = new PackerTemplateSettings();
        except.Except.Add("debian-13");

        Assert.Equal(["debian-13"], files.ReadAll(PackerTemplateFiles.TwoBuilders(), only).Select(b => b.Builder.Name));
        Assert.Equal(["debian-12"], files.ReadAll(PackerTemplateFiles.TwoBuilders(), except).Select(b => b.Builder.Name));
        Assert.Equal("builders[1]", files.Read(PackerTemplateFiles.TwoBuilders(), only).Place); // one left: DoBuildPackerTemplate builds it
    }

    [Fact]
    public void Only_or_Except_naming_no_builder_is_refused_listing_the_builders()
    {
        var settings = new PackerTemplateSettings();
        settings.Only.Add("debian-12");
        settings.Only.Add("Debian-13");

        var error = Assert.Throws<DoSettingsException>(() => files.ReadAll(PackerTemplateFiles.TwoBuilders(), settings));

        Assert.Equal("PackerTemplateSettings.Only", error.Setting);
        Assert.Equal(
            "PackerTemplateSettings.Only names 'Debian-13', which is not a builder of marketplace-image.json; its builders: debian-12, debian-13.",
            error.Message);

        var except = new PackerTemplateSettings();
        except.Except.Add("debian-14");
        var unknown = Assert.Throws<DoSettingsException>(() => files.ReadAll(PackerTemplateFiles.TwoBuilders(), except));
        Assert.Equal("PackerTemplateSettings.Except", unknown.Setting);
    }

    [Fact]
    public void Only_and_Except_together_are_refused_and_Except_may_not_leave_nothing()
    {
        var both = new PackerTemplateSettings();
        both.Only.Add("debian-12");
        both.Except.Add("debian-13");
        var all = new PackerTemplateSettings();
        all.Except.Add("debian-12");
        all.Except.Add("debian-13");

        var together = Assert.Throws<DoSettingsException>(() => files.ReadAll(PackerTemplateFiles.TwoBuilders(), both));
        var nothing = Assert.Throws<DoSettingsException>(() => files.ReadAll(PackerTemplateFiles.TwoBuilders(), all));

        Assert.Equal(
            "PackerTemplateSettings.Only and PackerTemplateSettings.Except are both set: use one of them (PackerTemplateSettings.Only for the builders "
            + "to build, PackerTemplateSettings.Except for those to leave out).",
            together.Message);
        Assert.Equal("PackerTemplateSettings.Except", nothing.Setting);
        Assert.Contains("leaves no builder of marketplace-image.json to build (its builders: debian-12, debian-13)", nothing.Message);
    }

    [Fact]
    public void DoBuildPackerTemplate_refuses_several_builders_naming_DoBuildPackerTemplates_and_Only()
    {
        var error = Assert.Throws<DoSettingsException>(() => files.Read(PackerTemplateFiles.TwoBuilders()));

        Assert.Equal("PackerTemplateSettings.Only", error.Setting);
        Assert.Equal(
            "marketplace-image.json has 2 builders to build (debian-12, debian-13): DoBuildPackerTemplate builds one; build them at once with "
            + "DoBuildPackerTemplates, or choose one with PackerTemplateSettings.Only.",
            error.Message);
    }

    [Theory]
    [InlineData("{{build_name}}", 2)]
    [InlineData("{{build_name}}", 1)]
    [InlineData("{{ build_type }}", 1)]
    public void Build_name_and_type_in_a_variable_are_refused_as_in_Packer_as_variables_are_shared_by_all_builders(string expression, int builders)
    {
        var json = builders == 2 ? PackerTemplateFiles.TwoBuilders() : PackerTemplateFiles.Minimal();
        json["variables"]!["label"] = $"app-{expression}";

        var error = Assert.Throws<DoSettingsException>(() => files.ReadAll(json));

        Assert.Equal("variables.label", error.Setting);
        Assert.Contains("which has no value in variables (Packer: 'build_", error.Message);
    }

    [Fact]
    public void A_second_builder_of_another_type_is_refused_naming_its_place()
    {
        var json = PackerTemplateFiles.TwoBuilders();
        json["builders"]![1]!["type"] = "amazon-ebs";

        var error = Assert.Throws<DoSettingsException>(() => files.ReadAll(json));

        Assert.Equal("builders[1].type", error.Setting);
    }
}
