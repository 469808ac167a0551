// A LEMP 1-Click image (nginx, PHP-FPM, MariaDB on Debian 12) in the layout Marketplace vendors use: files/ copied
// onto the droplet, numbered scripts/, and a per-instance first-boot script that needs the services running — it sets
// a random MariaDB root password with the server up, stores it in /root/.digitalocean_password and restarts services.
//
//   dotnet cake --target=Snapshot     build, validate and snapshot the image (prints its id)
//   dotnet cake --target=TestImage    boot a droplet from that image and check the app as a customer meets it
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
        Company = "lemp-1-click",
        MotdName = "lemp-1-click",
        MotdText = System.IO.File.ReadAllText("./motd.txt"),
        TestImage = false, // the TestImage target does it, so CI shows it as its own step
    };
    settings.Droplet.Name = "lemp-1-click-build";
    settings.Droplet.Image = "debian-12-x64";
    foreach (var package in new[] { "nginx", "php-fpm", "php-mysql", "mariadb-server", "ufw", "openssl" })
    {
        settings.Packages.Add(package);
    }

    settings.PerInstanceScripts.Add("./first-boot/001_onboot.sh");
    settings.Validation.FailOnWarning = true; // review asks about every WARN: ship none
    settings.Snapshot.Name = $"lemp-1-click-{version}-{DateTime.UtcNow:yyyyMMdd-HHmmss}";

    var result = DoBuildImage(settings);
    EnsureDirectoryExists("./artifacts");
    System.IO.File.WriteAllText(imageFile, result.Image.ImageId.ToString());
    Information("Image id for the Marketplace: {0} ({1})", result.Image.ImageId, result.Image.Name);
});

Task("TestImage").Does(() =>
{
    var imageId = long.Parse(System.IO.File.ReadAllText(imageFile).Trim());
    var settings = new TestImageSettings();
    // The page reaches MariaDB with the credentials the first boot made: nginx, PHP-FPM, MariaDB and the
    // per-instance script all worked.
    settings.HttpChecks.Add(new HttpCheck("/", 200, "Database: connected"));
    settings.HttpChecks.Add(new HttpCheck("/config.php", 403) { Name = "database settings not served" });
    settings.OpenPorts.Add(22);
    settings.OpenPorts.Add(80);
    settings.ClosedPorts.Add(3306);
    foreach (var service in new[] { "nginx", "mariadb", "php8.2-fpm", "ufw" })
    {
        settings.Services.Add(service);
    }

    var report = DoTestImage(imageId, settings);
    Information("Image {0}: {1}", imageId, report.Summary);
});

RunTarget(target);
