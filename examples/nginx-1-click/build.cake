// A realistic 1-Click app image: nginx with a landing page, firewall rules, a per-instance secret, a MOTD and a
// first-login script, in the layout Marketplace vendors use (files/ copied onto the droplet, numbered scripts/).
//
//   dotnet cake --target=Snapshot     build, validate and snapshot the image (prints its id)
//   dotnet cake --target=TestImage    boot a droplet from that image and check it as a customer would
//   dotnet cake --target=Publish --app-id=<vendor portal app id>    submit it to the Marketplace
//
// With DIGITALOCEAN_TOKEN set it runs on DigitalOcean; without, on the local cloud this script starts.
#addin nuget:?package=Cake.DoMarketplace&version=0.1.0&loaddependencies=true
#tool dotnet:?package=Cake.DoMarketplace.LocalCloud&version=0.1.0

// Without DIGITALOCEAN_TOKEN the image is built on the local cloud, on this machine (Linux, root); its images stay in
// --local-cloud-data (default ./.local-cloud) between runs, so TestImage finds what Snapshot made.
LocalCloudHandle localCloud = null;
Setup(_ => localCloud = HasEnvironmentVariable("DIGITALOCEAN_TOKEN") ? null : DoStartLocalCloud(s => s.DataDirectory = Argument("local-cloud-data", "./.local-cloud")));
Teardown(_ => localCloud?.Dispose());

var target = Argument("target", "Snapshot");
var version = Argument("app-version", "1.0.0");
var imageFile = File("./artifacts/image-id.txt");

Task("Snapshot").Does(() =>
{
    var settings = new MarketplaceImageSettings
    {
        FilesDirectory = "./files",
        ScriptsDirectory = "./scripts",
        FirstLoginScript = "./first-login/setup.sh",
        Company = "nginx-1-click",
        MotdName = "nginx-1-click",
        MotdText = System.IO.File.ReadAllText("./motd.txt"),
        TestImage = false, // the TestImage target does it, so CI shows it as its own step
    };
    settings.Droplet.Name = "nginx-1-click-build";
    settings.Droplet.Image = "debian-12-x64";
    settings.Packages.Add("nginx");
    settings.Packages.Add("ufw");
    settings.Packages.Add("openssl");
    settings.PerInstanceScripts.Add("./first-boot/01-generate-admin-password.sh");
    settings.Validation.FailOnWarning = true; // review asks about every WARN: ship none
    settings.Snapshot.Name = $"nginx-1-click-{version}-{DateTime.UtcNow:yyyyMMdd-HHmmss}";

    var result = DoBuildImage(settings);
    EnsureDirectoryExists("./artifacts");
    System.IO.File.WriteAllText(imageFile, result.Image.ImageId.ToString());
    Information("Image id for the Marketplace: {0} ({1})", result.Image.ImageId, result.Image.Name);
});

Task("TestImage").Does(() =>
{
    var imageId = long.Parse(System.IO.File.ReadAllText(imageFile).Trim());
    var report = DoTestImage(imageId, CustomerChecks());
    Information("Image {0}: {1}", imageId, report.Summary);
});

Task("Publish").Does(() =>
{
    var imageId = long.Parse(System.IO.File.ReadAllText(imageFile).Trim());
    var update = new MarketplaceUpdateSettings
    {
        AppId = Argument<string>("app-id", EnvironmentVariable("MARKETPLACE_APP_ID")),
        ImageId = imageId,
        ReasonForUpdate = $"nginx-1-click {version}: security updates",
        OsVersion = "Debian 12",
    };
    update.SoftwareIncluded.Add(new SoftwareIncluded("nginx", "1.22.1"));
    update.SoftwareIncluded.Add(new SoftwareIncluded("ufw", "0.36.2"));
    var result = DoSubmitMarketplaceUpdate(update);
    Information("Marketplace app {0}: image {1} submitted ({2})", result.AppId, result.ImageId, result.Status);
});

// What a customer must find on a droplet from the image, checked from outside it: the landing page on the droplet's
// IP, the admin page locked without the per-droplet password and open with it, SSH and HTTP reachable, every other
// port filtered by the firewall (8080 is probed with a listener started inside), nginx and ufw running.
TestImageSettings CustomerChecks()
{
    var settings = new TestImageSettings();
    settings.HttpChecks.Add(new HttpCheck("/", 200, "Your nginx droplet is ready"));
    settings.HttpChecks.Add(new HttpCheck("/admin/", 401) { Name = "admin page without the password" });
    settings.HttpChecks.Add(new HttpCheck("/admin/", 200, "Admin area")
    {
        Name = "admin page with the droplet's own password",
        UserName = "admin",
        PasswordCommand = "sed -n 's/^ADMIN_PASSWORD=//p' /root/.digitalocean_passwords",
    });
    settings.OpenPorts.Add(22);
    settings.OpenPorts.Add(80);
    settings.ClosedPorts.Add(8080);
    settings.Services.Add("nginx");
    settings.Services.Add("ufw");
    return settings;
}

RunTarget(target);
