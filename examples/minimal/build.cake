// The core aliases in a dozen lines: a Marketplace image from a clean Debian 12 droplet.
// Run: dotnet cake examples/minimal/build.cake   (on DigitalOcean with DIGITALOCEAN_TOKEN set, else on the local cloud)
#addin nuget:?package=Cake.DoMarketplace&version=0.1.0&loaddependencies=true
#tool dotnet:?package=Cake.DoMarketplace.LocalCloud&version=0.1.0

var localCloud = HasEnvironmentVariable("DIGITALOCEAN_TOKEN") ? null : DoStartLocalCloud();
try
{
    var droplet = DoCreateBuildDroplet(s => s.Name = "minimal-build");
    try
    {
        DoUpdatePackages(droplet);                 // non-interactive, config files kept
        DoInstallPackages(droplet, "nginx");
        DoInstallPerInstanceScript(droplet, "./scripts/01-hello.sh");
        DoCleanupImage(droplet);
        DoValidateImage(droplet);
        var image = DoSnapshot(droplet, s => s.Name = "minimal-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss"));
        Information("Image id for the Marketplace: {0} ({1})", image.ImageId, image.Name);
    }
    finally
    {
        DoDestroyDroplet(droplet);
    }
}
finally
{
    localCloud?.Dispose();                     // stops it: droplets, network, mounts
}
