using System.Text.Json.Nodes;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Tests.Packer;

/// <summary>Everything the addin cannot honour is refused on reading, naming the template and the field.</summary>
public sealed class PackerTemplateRefusalTests : IDisposable
{
    private readonly PackerTemplateFiles files = new();

    public void Dispose() => files.Dispose();

    public static TheoryData<string, string, string> Refusals => new()
    {
        { """{"provisioners":[{"type":"shell","inline":["true"]},{"type":"file","content":"x","destination":"/x"},"""
            + """{"type":"ansible","playbook_file":"p.yml"}]}""",
            "provisioners[2].type", "marketplace-image.json: provisioners[2].type 'ansible' is not supported; supported: shell, file" },
        { """{"builders":[{"type":"amazon-ebs","region":"us-east-1"}]}""", "builders[0].type", "'amazon-ebs' is not supported; supported: digitalocean" },
        { """{"builders":[]}""", "builders", "has 0 builder(s); the addin builds one or more" },
        { """{"post-processors":[{"type":"manifest"}]}""", "post-processors", "is not supported" },
        { """{"provisioners":[{"type":"shell","inline":["true"],"use_env_var_file":true}]}""", "provisioners[0].use_env_var_file",
            "is not a field the addin supports; supported here: type, pause_before" },
        { """{"provisioners":[{"type":"shell","inline":["true"],"script":"a.sh"}]}""", "provisioners[0]",
            "has inline and script; as in Packer, give exactly one" },
        { """{"provisioners":[{"type":"shell","scripts":["scripts/missing.sh"]}]}""", "provisioners[0].scripts[0]", "which does not exist" },
        { """{"provisioners":[{"type":"shell","inline":["true"],"environment_vars":["NO_EQUALS"]}]}""", "provisioners[0].environment_vars[0]",
            "is not NAME=value" },
        { """{"provisioners":[{"type":"shell","inline":["true"],"pause_before":"5 minutes"}]}""", "provisioners[0].pause_before",
            "'5 minutes' is not a duration" },
        { """{"provisioners":[{"type":"shell","inline":["true"],"execute_command":"{{.Vars}} {{.Script}}"}]}""", "provisioners[0].execute_command",
            "only .Vars, .Path are available here" },
        { """{"provisioners":[{"type":"file","source":"x.txt","destination":"/x","direction":"download"}]}""", "provisioners[0].direction",
            "'download' is not supported; supported: upload" },
        { """{"provisioners":[{"type":"file","source":"files/nothing/","destination":"/etc/"}]}""", "provisioners[0].source", "which does not exist" },
        { """{"provisioners":[{"type":"shell","inline":["echo {{env `HOME`}}"]}]}""", "provisioners[0].inline[0]",
            "env is only allowed in the defaults of 'variables'" },
        { """{"provisioners":[{"type":"shell","inline":["echo {{split `a,b` `,` 0}}"]}]}""", "provisioners[0].inline[0]",
            "'split' is not supported; supported: user, env" },
        { """{"provisioners":[{"type":"shell","inline":["echo {{user `nope`}}"]}]}""", "provisioners[0].inline[0]",
            "uses the user variable 'nope', which is not declared" },
        { """{"builders":[{"type":"digitalocean","image":"debian-12-x64","region":"nyc3","size":"s-1vcpu-1gb","ssh_username":"ubuntu"}]}""",
            "builders[0].ssh_username", "is 'ubuntu'" },
        { """{"builders":[{"type":"digitalocean","image":"debian-12-x64","region":"nyc3","size":"s-1vcpu-1gb","monitoring":"yes"}]}""",
            "builders[0].monitoring", "must be true or false" },
        { """{"builders":[{"type":"digitalocean","image":"debian-12-x64","region":"nyc3","size":"s-1vcpu-1gb","droplet_agent":1}]}""",
            "builders[0].droplet_agent", "must be true or false" },
        { """{"builders":[{"type":"digitalocean","image":"debian-12-x64","region":"nyc3","size":"s-1vcpu-1gb","ssh_key_id":123}]}""", "builders[0].ssh_key_id",
            "is not a field the addin supports" },
        { """{"builders":[{"type":"digitalocean","image":"debian-12-x64","size":"s-1vcpu-1gb"}]}""", "builders[0].region", "is required" },
        { """{"builders":[{"type":"digitalocean","image":"debian-12-x64","region":"nyc3","size":"s-1vcpu-1gb","state_timeout":"6 min"}]}""",
            "builders[0].state_timeout", "is not a duration" },
        { """{"variables":{"a":"{{user `b`}}","b":"{{user `a`}}"},"provisioners":[]}""", "variables.a", "refers to itself through other variables" },
        { """{"sensitive-variables":["missing"]}""", "sensitive-variables[0]", "names 'missing', which is not declared" },
        { """{"min_packer_version":"1.7.0","hcl_vars":{}}""", "hcl_vars", "is not a field the addin supports" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_template_the_addin_cannot_honour_is_refused_naming_the_file_and_the_field(string change, string field, string expected)
    {
        var template = PackerTemplateFiles.Minimal();
        foreach (var (name, value) in JsonNode.Parse(change)!.AsObject())
        {
            template[name] = value?.DeepClone();
        }

        var error = Assert.Throws<DoSettingsException>(() => files.Read(template));

        Assert.Equal(field, error.Setting);
        Assert.StartsWith($"marketplace-image.json: {field} ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Invalid_json_is_refused_with_its_line()
    {
        var error = Assert.Throws<DoSettingsException>(() => files.Read(files.Write("{\n  \"builders\": [\n    { \"type\": \"digitalocean\", }\n  ]\n}")));

        Assert.StartsWith("marketplace-image.json: (JSON) is not valid JSON at line 3", error.Message);
    }

    [Fact]
    public void An_hcl_template_and_a_missing_file_are_refused()
    {
        Assert.Contains("HCL2 template", Assert.Throws<DoSettingsException>(() => files.Read(files.Write("source {}", "app.pkr.hcl"))).Message);
        Assert.Contains("does not exist", Assert.Throws<DoSettingsException>(() => files.Read(Path.Combine(files.Folder, "nothing.json"))).Message);
    }

    [Fact]
    public void A_missing_token_names_api_token()
    {
        files.Environment.Remove("DIGITALOCEAN_TOKEN");
        var build = files.Build();
        var template = files.Read(PackerTemplateFiles.Minimal());

        var error = Assert.Throws<DoSettingsException>(() => build.ImageSettings(template, new()));

        Assert.Contains("marketplace-image.json: builders[0].api_token", error.Message);
    }
}
