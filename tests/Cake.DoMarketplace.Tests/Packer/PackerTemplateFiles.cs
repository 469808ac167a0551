using System.Text.Json.Nodes;
using Cake.DoMarketplace.Packer;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Packer;

/// <summary>Templates written into a temporary folder and read as <c>DoBuildPackerTemplate</c> reads them, without a cloud.</summary>
internal sealed class PackerTemplateFiles : IDisposable
{
    public const string Token = "dop_v1_packertemplatetests000000000000000000000000000000000000000";

    public static readonly DateTime Started = new(2026, 3, 14, 15, 9, 26, DateTimeKind.Utc);

    public string Folder { get; } = Directory.CreateTempSubdirectory("cdm-packer-").FullName;

    public RecordingLog Log { get; } = new();

    public Dictionary<string, string> Environment { get; } = new() { ["DIGITALOCEAN_TOKEN"] = Token, ["HOME_REGION"] = "ams3" };

    /// <summary>The folder of the sample template, copied to the test output.</summary>
    public static string SampleFolder => Path.Combine(AppContext.BaseDirectory, "Packer", "Templates", "sample");

    /// <summary>A minimal valid template: one builder, one inline shell provisioner.</summary>
    public static JsonObject Minimal() => JsonNode.Parse("""
        {
          "variables": { "do_api_token": "{{env `DIGITALOCEAN_TOKEN`}}", "app": "demo" },
          "builders": [ { "type": "digitalocean", "api_token": "{{user `do_api_token`}}", "image": "debian-12-x64",
                          "region": "nyc3", "size": "s-1vcpu-1gb", "ssh_username": "root", "snapshot_name": "demo-{{timestamp}}" } ],
          "provisioners": [ { "type": "shell", "inline": [ "echo {{user `app`}}" ] } ]
        }
        """)!.AsObject();

    public string Write(JsonObject template, string name = "marketplace-image.json") => Write(template.ToJsonString(), name);

    public string Write(string text, string name = "marketplace-image.json")
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    public PackerImageBuild Build() =>
        new(new Cake.Core.IO.FileSystem(), TestCakeContext.Create(Log, Folder, Environment).Environment, Log);

    public PackerTemplate Read(string path, PackerTemplateSettings? settings = null) =>
        Build().Read(Path.GetFileName(path), path, settings ?? new PackerTemplateSettings(), Started);

    public PackerTemplate Read(JsonObject template, PackerTemplateSettings? settings = null) => Read(Write(template), settings);

    /// <summary>Every build of the template, one per selected builder, as <c>DoBuildPackerTemplates</c> reads them.</summary>
    public IReadOnlyList<PackerTemplate> ReadAll(JsonObject template, PackerTemplateSettings? settings = null)
    {
        var path = Write(template);
        return Build().ReadAll(Path.GetFileName(path), path, settings ?? new PackerTemplateSettings(), Started);
    }

    /// <summary>The minimal template with two builders, named debian-12 and debian-13.</summary>
    public static JsonObject TwoBuilders()
    {
        var json = Minimal();
        var second = json["builders"]![0]!.DeepClone();
        json["builders"]![0]!["name"] = "debian-12";
        second["name"] = "debian-13";
        second["image"] = "debian-13-x64";
        json["builders"]!.AsArray().Add(second);
        return json;
    }

    public void Dispose() => Directory.Delete(Folder, true);
}
