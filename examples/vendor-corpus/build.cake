// lemp-debian-12/template.json ported to Cake: the same packages, files, scripts and first-boot script, built with one
// DoBuildImage call from the corpus root (where the template's paths start too). What the template's provisioners do
// and what takes their place here:
//
//   cloud-init status --wait          DoBuildImage waits for it before anything else
//   apt-get update, full-upgrade      UpdatePackages (on by default)
//   apt-get install apt_packages      Packages
//   common/files, lemp/files          FilesDirectory: both trees merged into one folder first (CopyDirectory)
//   .../per-instance/001_onboot       PerInstanceScripts (checked: order prefix, shebang, line endings; mode 0755)
//   lemp-debian-12/scripts/*.sh       ScriptsDirectory
//   common/scripts/013, 014, 012, 020 Provision, in the template's order
//   common/scripts/900-cleanup.sh     DoBuildImage's own cleanup (it purges the droplet agent, which this build
//                                     droplet does not even get), then the validation, snapshot and image test
//
//   dotnet cake                       build, validate, snapshot and test the image (prints its id)
//
// With DIGITALOCEAN_TOKEN set it runs on DigitalOcean; without, on the local cloud this script starts.
#addin nuget:?package=Cake.DoMarketplace&version=0.1.0&loaddependencies=true
#tool dotnet:?package=Cake.DoMarketplace.LocalCloud&version=0.1.0

LocalCloudHandle localCloud = null;
Setup(_ => localCloud = HasEnvironmentVariable("DIGITALOCEAN_TOKEN") ? null : DoStartLocalCloud(s => s.DataDirectory = Argument("local-cloud-data", "./.local-cloud")));
Teardown(_ => localCloud?.Dispose());

const string App = "lemp-debian-12";
const string FirstBoot = "var/lib/cloud/scripts/per-instance/001_onboot";
var target = Argument("target", "Snapshot");
var files = Directory("./artifacts") + Directory(App + "-files");

Task("Snapshot").Does(() =>
{
    // One files/ tree, as DoBuildImage takes it: the shared files, then the app's (the app's win on a clash). The
    // first-boot script is installed on its own below.
    CleanDirectory(files);
    CopyDirectory("./common/files", files);
    CopyDirectory($"./{App}/files", files);
    DeleteFile(files + File(FirstBoot));

    var settings = new MarketplaceImageSettings
    {
        FilesDirectory = files,
        ScriptsDirectory = $"./{App}/scripts",
        Provision = droplet =>
        {
            DoRunRemoteScript(droplet, "./common/scripts/013-fail2ban.sh");
            DoRunRemoteScript(droplet, "./common/scripts/014-ufw-nginx.sh");
            DoRunRemoteScript(droplet, "./common/scripts/012-force-ssh-logout.sh");
            DoUploadFile(droplet, "./common/scripts/020-application-tag.sh", "/root/020-application-tag.sh");
            DoRunRemote(droplet, "application_name=LEMP application_package=nginx sh /root/020-application-tag.sh && rm /root/020-application-tag.sh");
        },
    };
    settings.Droplet.Name = App + "-build";
    settings.Droplet.Image = "debian-12-x64";
    settings.Droplet.Region = "nyc3";
    settings.Droplet.Size = "s-1vcpu-1gb";
    foreach (var package in new[] { "fail2ban", "mariadb-server", "nginx", "php-fpm", "php-mysql", "python3-systemd", "ufw" })
    {
        settings.Packages.Add(package);
    }

    settings.PerInstanceScripts.Add($"./{App}/files/{FirstBoot}");
    settings.Snapshot.Name = $"{App}-cake-{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}";

    // The image test, as a customer meets the droplet: the site answers on the droplet's own address (nginx serves it
    // only under the server_name the first boot wrote from the metadata service) with the database user the first
    // boot made; MariaDB's port is firewalled; the services run.
    settings.Test.HttpChecks.Add(new HttpCheck("/", 200, "Database: connected (MariaDB") { Name = "site on the droplet's address, database reached" });
    settings.Test.HttpChecks.Add(new HttpCheck("/.env", 403) { Name = "hidden files refused" });
    settings.Test.OpenPorts.Add(22);
    settings.Test.OpenPorts.Add(80);
    settings.Test.ClosedPorts.Add(3306);
    foreach (var service in new[] { "nginx", "mariadb", "php8.2-fpm", "fail2ban", "ufw" })
    {
        settings.Test.Services.Add(service);
    }

    var result = DoBuildImage(settings);
    Information("Image id for the Marketplace: {0} ({1}); image test: {2}", result.Image.ImageId, result.Image.Name, result.Test.Summary);
});

RunTarget(target);
