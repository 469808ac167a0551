// The nginx example image (examples/nginx-1-click, its Snapshot target's settings) built three times at once with
// DoBuildImages: three variants that differ only in their names, the same work as the three builders of
// benchmarks/packer/nginx-three-builders.json. For the --at-pace benchmark; needs DIGITALOCEAN_TOKEN (and
// DIGITALOCEAN_API_URL for the local cloud). Run: dotnet cake build.cake   (in this folder)
#addin nuget:?package=Cake.DoMarketplace&version=0.1.0&loaddependencies=true

var example = "../../examples/nginx-1-click";
var version = Argument("app-version", "1.0.0");

MarketplaceImageSettings Nginx(string variant)
{
    var settings = new MarketplaceImageSettings
    {
        FilesDirectory = $"{example}/files",
        ScriptsDirectory = $"{example}/scripts",
        FirstLoginScript = $"{example}/first-login/setup.sh",
        Company = "nginx-1-click",
        MotdName = "nginx-1-click",
        MotdText = System.IO.File.ReadAllText($"{example}/motd.txt"),
        TestImage = false,
    };
    settings.Droplet.Name = $"nginx-1-click-build-{variant}";
    settings.Droplet.Image = "debian-12-x64";
    settings.Packages.Add("nginx");
    settings.Packages.Add("ufw");
    settings.Packages.Add("openssl");
    settings.PerInstanceScripts.Add($"{example}/first-boot/01-generate-admin-password.sh");
    settings.Validation.FailOnWarning = true;
    settings.Snapshot.Name = $"nginx-1-click-{variant}-{version}-{DateTime.UtcNow:yyyyMMdd-HHmmss}";
    return settings;
}

var result = DoBuildImages(new[] { Nginx("a"), Nginx("b"), Nginx("c") }, new BuildImagesSettings { MaxParallel = 3 });
foreach (var variant in result.Variants)
{
    Information("{0}: image {1}", variant.Name, variant.Image.Image.ImageId);
}
