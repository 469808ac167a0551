using Cake.DoMarketplace.LocalCloud.Api;
using Cake.DoMarketplace.LocalCloud.State;

namespace Cake.DoMarketplace.Tests.LocalCloud.InMemory;

/// <summary>
/// The local cloud's request rules and scope table against DigitalOcean's own examples and statements (its OpenAPI
/// description, digitalocean/openapi, and the API's error text; sources in docs/local-cloud.md, "Request rules").
/// </summary>
public sealed class DigitalOceanRulesTests
{
    [Theory]
    [InlineData("example.com")] // droplet_single_create.yml, name's example
    [InlineData("example-droplet")] // doctl compute droplet create's example
    [InlineData("web-01")]
    [InlineData("Web.Server-2")] // the 422's "a-z, A-Z, 0-9, . and -"
    public void Digitaloceans_example_names_pass(string name) => Assert.Null(DropletRules.NameRefusal(name));

    [Theory]
    [InlineData("my_droplet")]
    [InlineData("web server")]
    [InlineData("café")]
    [InlineData("")]
    [InlineData(null)]
    public void Names_with_characters_outside_a_hostnames_are_refused_with_digitaloceans_message(string? name) =>
        Assert.Equal("Name Only valid hostname characters are allowed. (a-z, A-Z, 0-9, . and -)", DropletRules.NameRefusal(name));

    [Fact]
    public void A_name_may_hold_255_characters_and_no_more()
    {
        Assert.Null(DropletRules.NameRefusal(new string('a', 255)));
        Assert.NotNull(DropletRules.NameRefusal(new string('a', 256)));
    }

    [Theory]
    [InlineData("env:prod")] // droplet_create.yml, tags' example
    [InlineData("web")]
    [InlineData("extra-awesome")] // tags.yml, name's example
    [InlineData("PROD")] // tags.yml: "if you create a tag named PROD"
    [InlineData("build_id:42")]
    public void Digitaloceans_example_tags_pass(string tag) => Assert.Null(DropletRules.TagRefusal(tag));

    [Theory]
    [InlineData("env prod")]
    [InlineData("a.b")]
    [InlineData("")]
    public void Tags_outside_letters_numbers_colons_dashes_and_underscores_are_refused(string tag) =>
        Assert.NotNull(DropletRules.TagRefusal(tag));

    [Fact]
    public void A_tag_may_hold_255_characters_and_no_more()
    {
        Assert.Null(DropletRules.TagRefusal(new string('t', 255)));
        Assert.NotNull(DropletRules.TagRefusal(new string('t', 256)));
    }

    [Fact]
    public void User_data_is_limited_to_64_KiB_in_bytes_and_digitaloceans_example_passes()
    {
        Assert.Null(DropletRules.UserDataRefusal("#cloud-config\nruncmd:\n  - touch /test.txt\n")); // droplet_create.yml, user_data's example
        Assert.Null(DropletRules.UserDataRefusal(new string('x', 65536)));
        Assert.Equal("User data is limited to 64 KiB.", DropletRules.UserDataRefusal(new string('x', 65537)));
        Assert.NotNull(DropletRules.UserDataRefusal(new string('é', 32769))); // 65,538 bytes in UTF-8
    }

    // Each operation's "security: bearer_auth" in digitalocean/openapi (dropletActions_post.yml: droplet:update).
    [Theory]
    [InlineData("POST", "/v2/droplets", "droplet:create")]
    [InlineData("POST", "/v2/droplets/{id:long}/actions", "droplet:update")]
    [InlineData("DELETE", "/v2/droplets/{id:long}", "droplet:delete")]
    [InlineData("GET", "/v2/droplets/{id:long}", "droplet:read")]
    [InlineData("POST", "/v2/account/keys", "ssh_key:create")]
    [InlineData("GET", "/v2/sizes", "sizes:read")]
    [InlineData("GET", "/v2/regions", "regions:read")]
    [InlineData("POST", "/v2/images/{id}/actions", "image:create")]
    [InlineData("DELETE", "/v2/images/{id}", "image:delete")]
    [InlineData("POST", "/v2/tags/{name}/resources", "tag:create")]
    public void Each_endpoint_needs_the_scope_digitaloceans_reference_names(string method, string route, string scope) =>
        Assert.Contains(scope, ScopeTable.For(method, route)!);

    [Fact]
    public void Tagging_or_keying_a_droplet_at_creation_needs_the_scopes_digitalocean_associates_with_droplet_create()
    {
        // "To tag a Droplet during creation, you additionally need tag:create" (DigitalOcean's scopes reference).
        var extra = ScopeTable.ForBody("POST", "/v2/droplets");
        Assert.Contains(("tags", "tag:create"), extra);
        Assert.Contains(("ssh_keys", "ssh_key:read"), extra);
        Assert.Empty(ScopeTable.ForBody("POST", "/v2/droplets/{id:long}/actions"));
    }
}
