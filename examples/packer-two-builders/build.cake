// A Packer template with two digitalocean builders, built at once: one Debian 12 and one Debian 13 image.
// Run: dotnet cake examples/packer-two-builders/build.cake   (on DigitalOcean with DIGITALOCEAN_TOKEN set, else on the local cloud)
// Only one of them: dotnet cake examples/packer-two-builders/build.cake --only=debian-13
#addin nuget:?package=Cake.DoMarketplace&version=0.1.0&loaddependencies=true
#tool dotnet:?package=Cake.DoMarketplace.LocalCloud&version=0.1.0

var only = Argument("only", string.Empty);
var localCloud = HasEnvironmentVariable("DIGITALOCEAN_TOKEN") ? null : DoStartLocalCloud();
try
{
    var result = DoBuildPackerTemplates("./template.json", s =>
    {
        if (only.Length > 0)
        {
            s.Only.Add(only);                  // Packer's -only
        }

        s.Builds.MaxParallel = 2;              // both at once
    });
    foreach (var build in result.Variants)
    {
        Information("{0}: image {1} ({2})", build.Name, build.Image.Image.ImageId, build.Image.Image.Name);
    }
}
finally
{
    localCloud?.Dispose();
}
