using System.Diagnostics;
using System.Text.RegularExpressions;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.ImageTests;
using Cake.DoMarketplace.Packer;
using Cake.DoMarketplace.Pipeline;
using Cake.DoMarketplace.Tests.Support;
using Xunit.Abstractions;

namespace Cake.DoMarketplace.Tests.Corpus;

/// <summary>
/// The vendor corpus (examples/vendor-corpus), template by template, built unchanged with DoBuildPackerTemplate from the
/// corpus root as droplet-1-clicks' templates are, validated with no FAIL, tested by DoTestImage as a customer meets the
/// app from outside, then looked at from inside a customer's droplet: what only the first boot could make (the
/// droplet's own address from the metadata service, passwords that work), root's SSH lock gone, the fail2ban jail
/// counting a real failed login.
/// </summary>
[Trait("Category", "Integration")]
public sealed class VendorCorpusTemplateTests(LocalCloudFixture cloud, ITestOutputHelper output) : IClassFixture<LocalCloudFixture>, IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("cdm-corpus-").FullName;

    /// <summary>A request to the droplet's own web server under a host name the first boot did not set up: status and body.</summary>
    private const string OtherHostName = "curl -sS -H 'Host: www.example.com' -w '%{http_code} ' -o /tmp/body http://127.0.0.1/ && cat /tmp/body";

    public static string CorpusRoot => Path.Combine(RepositoryPaths.Root, "examples", "vendor-corpus");

    public void Dispose() => Directory.Delete(work, true);

    [Fact]
    public async Task The_lemp_template_makes_droplets_whose_php_site_answers_on_their_own_address_from_mariadb()
    {
        var result = Build("lemp-debian-12", test =>
        {
            // nginx serves the site only under the server_name the first boot wrote from the metadata service: the
            // request goes to the droplet's address, so a 200 from PHP proves the address and the database user.
            test.HttpChecks.Add(new HttpCheck("/", 200, "Database: connected (MariaDB 10.11") { Name = "site on the droplet's address, database reached" });
            test.HttpChecks.Add(new HttpCheck("/.env", 403) { Name = "hidden files refused" });
            test.OpenPorts.Add(22);
            test.OpenPorts.Add(80);
            test.ClosedPorts.Add(3306);
            Add(test.Services, "nginx", "mariadb", "php8.2-fpm", "fail2ban", "ufw");
        });

        await using var customer = await CustomerAsync(result.Image.ImageId, "lemp-customer");
        await CheckLempFirstBootAsync(customer);
    }

    [Fact]
    public async Task The_cake_port_of_the_lemp_template_builds_an_image_that_passes_the_same_checks()
    {
        var addin = await PackedAddin.PackAsync(work, "corpus");
        var corpus = CopyCorpus(Path.Combine(work, "corpus"), addin);
        var clock = Stopwatch.StartNew();
        var run = await ProcessRunner.RunAsync(
            "dotnet",
            [RepositoryPaths.CakeDll, "build.cake"],
            corpus,
            TimeSpan.FromMinutes(30),
            new Dictionary<string, string?>
            {
                ["DIGITALOCEAN_TOKEN"] = LocalCloudFixture.Token,
                ["DIGITALOCEAN_API_URL"] = cloud.BaseUrl.ToString(),
                ["DIGITALOCEAN_ACCESS_TOKEN"] = null,
                ["DIGITALOCEAN_API_TOKEN"] = null,
            });
        output.WriteLine($"build.cake: built and tested in {clock.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine(run.Output);
        var text = Regex.Replace(run.Output, "\u001b\\[[0-9;]*m", string.Empty); // Cake colours the values it formats

        Assert.True(run.ExitCode == 0, "build.cake failed; its output is above");
        Assert.Contains("<== [5/", text); // the steps ran through DoBuildImage's table
        Assert.Matches(@"Copy files/ onto /: ok: 5 files", text); // common/files and the app's, without the first-boot script
        Assert.Contains("installed PerInstance script /var/lib/cloud/scripts/per-instance/001_onboot", text);
        Assert.Contains("root logins wait for the first boot: forcecommand echo", text);
        Assert.Contains("application_name=\"LEMP\"", text);
        Assert.Matches(@"Validate \(the 18 Marketplace checks \+ /tmp mode \(19\)\): ok: 19 passed, 0 warnings, 0 failed", text);
        var image = Regex.Match(text, @"Image id for the Marketplace: (\d+) \(lemp-debian-12-cake-\d{10}\); image test: \d+ passed, \d+ warnings, 0 failed");
        Assert.True(image.Success, "no image id with a passed image test in the output");
        Assert.Empty(cloud.Leftovers());

        await using var customer = await CustomerAsync(long.Parse(image.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            "lemp-cake-customer");
        await CheckLempFirstBootAsync(customer);
    }

    /// <summary>The corpus copied as a user has it, its build.cake loading the freshly packed addin (the run has a token: no local cloud tool).</summary>
    private static string CopyCorpus(string target, string addinLine)
    {
        foreach (var file in Directory.GetFiles(CorpusRoot, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(CorpusRoot, file);
            if (relative.Split(Path.DirectorySeparatorChar)[0] is "tools" or "artifacts" or ".local-cloud")
            {
                continue;
            }

            var copy = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
            File.SetUnixFileMode(copy, File.GetUnixFileMode(file));
        }

        var script = Path.Combine(target, "build.cake");
        var lines = File.ReadAllLines(script)
            .Where(l => !l.StartsWith("#tool ", StringComparison.Ordinal))
            .Select(l => l.StartsWith("#addin ", StringComparison.Ordinal) ? addinLine : l);
        File.WriteAllLines(script, lines);
        return target;
    }

    /// <summary>What the LEMP image's first boot leaves on a customer's droplet, whichever way the image was built.</summary>
    private static async Task CheckLempFirstBootAsync(CustomerDroplet customer)
    {
        await CheckCommonFirstBootAsync(customer, "LEMP", ["root_mysql_pass", "site_mysql_pass"]);
        Assert.Equal(customer.Address, await customer.RunAsync("sed -n 's/^site_address = //p' /var/www/database.ini"));
        Assert.Equal("640 root:www-data", await customer.RunAsync("stat -c '%a %U:%G' /var/www/database.ini"));
        Assert.Contains($"server_name {customer.Address};", await customer.RunAsync("cat /etc/nginx/sites-available/digitalocean"));
        Assert.Equal("404 No site is set up for this host name yet: add it to server_name in /etc/nginx/sites-available/digitalocean.",
            await customer.RunAsync(OtherHostName));
        // MariaDB's root password works where the socket's root identity does not count (another system user).
        Assert.Equal("1",
            await customer.RunAsync(". /root/.digitalocean_password && runuser -u nobody -- mariadb -uroot -p\"$root_mysql_pass\" -N -e 'SELECT 1'"));
        Assert.Equal("site",
            await customer.RunAsync(
            ". /root/.digitalocean_password && runuser -u nobody -- mariadb -usite -p\"$site_mysql_pass\" -N -e 'SELECT DATABASE()' site"));
        Assert.NotEqual(0, (await customer.TryAsync("runuser -u nobody -- mariadb -uroot -N -e 'SELECT 1'")).ExitStatus);
    }

    [Fact]
    public async Task The_django_template_makes_droplets_whose_project_answers_its_own_address_from_postgresql_with_a_working_admin_login()
    {
        var result = Build("django-debian-12", test =>
        {
            // Django answers only the host names in ALLOWED_HOSTS (400 otherwise), which the first boot set to the
            // droplet's address from the metadata service; the page queries PostgreSQL with the first boot's password.
            test.HttpChecks.Add(new HttpCheck("/", 200, "Database: connected (PostgreSQL 15") { Name = "project on the droplet's address, database reached" });
            test.HttpChecks.Add(new HttpCheck("/admin/login/", 200, "Django administration") { Name = "admin login page" });
            test.HttpChecks.Add(new HttpCheck("/static/admin/css/base.css", 200) { Name = "admin's static files from nginx" });
            test.OpenPorts.Add(22);
            test.OpenPorts.Add(80);
            test.ClosedPorts.Add(5432);
            test.ClosedPorts.Add(8000);
            // postgresql@15-main is enabled by Debian's generator at every boot ("enabled-runtime"), so the enabled unit is
            // postgresql; the cluster's own unit is checked on the customer droplet.
            Add(test.Services, "nginx", "gunicorn", "postgresql", "fail2ban", "ufw");
        });

        await using var customer = await CustomerAsync(result.Image.ImageId, "django-customer");
        await CheckCommonFirstBootAsync(customer, "Django", ["django_postgres_pass", "django_admin_pass"]);
        Assert.Equal("active", await customer.RunAsync("systemctl is-active postgresql@15-main"));
        Assert.Equal(customer.Address, await customer.RunAsync("sed -n 's/^DJANGO_ALLOWED_HOSTS=//p' /etc/django/django.env"));
        Assert.StartsWith("400 ", await customer.RunAsync(OtherHostName));
        Assert.Equal("640 root:django", await customer.RunAsync("stat -c '%a %U:%G' /etc/django/django.env"));
        Assert.Matches("^DJANGO_SECRET_KEY=[0-9a-f]{64}$", await customer.RunAsync("grep ^DJANGO_SECRET_KEY= /etc/django/django.env"));
        Assert.Equal("django",
            await customer.RunAsync(
            ". /root/.digitalocean_password && PGPASSWORD=\"$django_postgres_pass\" psql -h 127.0.0.1 -U django -d django -tAc 'SELECT current_user'"));
        Assert.NotEqual(0, (await customer.TryAsync("PGPASSWORD=wrong psql -h 127.0.0.1 -U django -d django -tAc 'SELECT 1'")).ExitStatus);

        // The admin's password from /root/.digitalocean_password logs in through the login form, from outside; another does not.
        var password = await customer.RunAsync(". /root/.digitalocean_password && printf %s \"$django_admin_pass\"");
        Assert.Equal("/admin/", await DjangoAdmin.LogInAsync(customer.Address, "admin", password));
        Assert.Null(await DjangoAdmin.LogInAsync(customer.Address, "admin", "not-" + password));
    }

    [Fact]
    public async Task The_prometheus_template_makes_droplets_whose_prometheus_answers_its_own_address_behind_the_first_boots_password()
    {
        const string Password = ". /root/.digitalocean_password && printf %s \"$prometheus_admin_pass\"";
        var result = Build("prometheus-debian-12", test =>
        {
            // nginx serves Prometheus only under the server_name the first boot wrote from the metadata service, and
            // only with the password the first boot made.
            test.HttpChecks.Add(new HttpCheck("/-/ready", 401) { Name = "Prometheus needs a login" });
            test.HttpChecks.Add(
                new HttpCheck("/-/ready", 200, "Prometheus Server is Ready.") { UserName = "admin", PasswordCommand = Password,
                Name = "Prometheus with the first boot's password" });
            test.HttpChecks.Add(new HttpCheck("/api/v1/query?query=up%7Bjob%3D%22node%22%7D%20%3D%3D%201", 200, "\"job\":\"node\"")
            {
                UserName = "admin",
                PasswordCommand = Password,
                Name = "the node exporter scraped and up",
            });
            test.OpenPorts.Add(22);
            test.OpenPorts.Add(80);
            test.ClosedPorts.Add(443);
            test.ClosedPorts.Add(9090);
            test.ClosedPorts.Add(9100);
            Add(test.Services, "nginx", "prometheus", "prometheus-node-exporter", "fail2ban", "ufw");
        });

        await using var customer = await CustomerAsync(result.Image.ImageId, "prometheus-customer");
        await CheckCommonFirstBootAsync(customer, "Prometheus", ["prometheus_admin_pass"]);
        Assert.Contains($"server_name {customer.Address};", await customer.RunAsync("cat /etc/nginx/sites-available/prometheus"));
        Assert.Equal("404 Prometheus is not set up for this host name yet: add it to server_name in /etc/nginx/sites-available/prometheus.",
            await customer.RunAsync(OtherHostName));
        Assert.Contains($"\"web.external-url\":\"http://{customer.Address}/\"",
            await customer.RunAsync("curl -fsS http://127.0.0.1:9090/api/v1/status/flags"));
        Assert.Equal("640 root:www-data", await customer.RunAsync("stat -c '%a %U:%G' /etc/nginx/prometheus.htpasswd"));
        var listening = await customer.RunAsync("ss -Htln '( sport = :9090 or sport = :9100 )' | awk '{print $4}' | sort");
        Assert.Equal(["127.0.0.1:9090", "127.0.0.1:9100"], listening.Split('\n'));
    }

    private static void Add(IList<string> list, params string[] items)
    {
        foreach (var item in items)
        {
            list.Add(item);
        }
    }

    /// <summary>Builds a template of the corpus from the corpus root, as droplet-1-clicks' are built, with its image test.</summary>
    private MarketplaceImageResult Build(string app, Action<TestImageSettings> test)
    {
        var log = new RecordingLog();
        var context = cloud.Context(log, work);
        var clock = Stopwatch.StartNew();
        MarketplaceImageResult result;
        try
        {
            result = context.DoBuildPackerTemplate(Path.Combine(CorpusRoot, app, "template.json"), s =>
            {
                s.WorkingDirectory = CorpusRoot;
                s.Cleanup.UpdatePackages = false; // the template ran apt-get full-upgrade itself
                s.Validation.ReportDirectory = null;
                s.Test.ReportDirectory = null;
                test(s.Test);
            });
        }
        finally
        {
            output.WriteLine($"{app}: built and tested in {clock.Elapsed.TotalSeconds:0.0} s");
            output.WriteLine(log.AllText);
        }

        foreach (var step in result.Steps)
        {
            output.WriteLine($"  {step.Duration.TotalSeconds,6:0.0} s  {step.Name}: {step.Result}");
        }

        Assert.Matches($"^{app}-snapshot-\\d{{10}}$", result.Image.Name);
        Assert.False(result.Validation.HasFailures, result.Validation.Summary);
        var imageTest = Assert.IsType<ValidationReport>(result.Test);
        Assert.False(imageTest.HasFailures,
            string.Join('\n', imageTest.Checks.Where(c => c.Level == CheckLevel.Fail).Select(c => $"{c.Id}. {c.Name}: {c.Message}")));

        // The corpus's own scripts did their part, in the build's log: the lock went in, the agent went out.
        Assert.Contains("root logins wait for the first boot: forcecommand echo \"Please wait while we get your droplet ready...\"", log.AllText);
        Assert.Contains("Removing droplet-agent", log.AllText);
        Assert.Contains("Purging configuration files for droplet-agent", log.AllText);
        Assert.Empty(cloud.Leftovers());
        return result;
    }

    private async Task<CustomerDroplet> CustomerAsync(long imageId, string name)
    {
        var clock = Stopwatch.StartNew();
        var customer = await CustomerDroplet.StartAsync(cloud, imageId, name, "s-1vcpu-1gb");
        output.WriteLine(
            $"{name}: root logged in {clock.Elapsed.TotalSeconds:0.0} s after the create, after {customer.LockedLogins} login(s) that only printed the "
            + "first-boot notice");
        return customer;
    }

    /// <summary>What every corpus image's first boot leaves, the same for each app.</summary>
    private static async Task CheckCommonFirstBootAsync(CustomerDroplet customer, string applicationName, string[] passwords)
    {
        // The image shipped root's lock; the first boot removed it and restarted sshd.
        Assert.Contains("forcecommand echo \"Please wait while we get your droplet ready...\"",
            await customer.RunAsync($"sshd -T -f {CustomerDroplet.ShippedSshdConfig} -C user=root,host=customer,addr=192.0.2.1"));
        Assert.Contains("\nforcecommand none\n", await customer.RunAsync("sshd -T -C user=root,host=customer,addr=192.0.2.1"));
        Assert.Equal("0", await customer.RunAsync("grep -c 'one-click first-boot lock' /etc/ssh/sshd_config || true"));

        // Passwords made on this droplet, for root only.
        Assert.Equal("600 root:root", await customer.RunAsync("stat -c '%a %U:%G' /root/.digitalocean_password"));
        var names = await customer.RunAsync("sed -n 's/^\\([a-z_]*\\)=\"[0-9a-f]\\{32\\}\"$/\\1/p' /root/.digitalocean_password");
        Assert.Equal(passwords, names.Split('\n'));

        Assert.Contains($"application_name=\"{applicationName}\"", await customer.RunAsync("cat /var/lib/digitalocean/application.info"));
        Assert.Contains("Status: active", await customer.RunAsync("ufw status"));

        // fail2ban's sshd jail reads sshd's journal: a failed login from outside is counted.
        Assert.Contains("Total failed:\t0", await customer.RunAsync("fail2ban-client status sshd"));
        await customer.FailOneLoginAsync("admin");
        var counted = string.Empty;
        for (var i = 0; i < 60 && !counted.Contains("Total failed:\t1", StringComparison.Ordinal); i++)
        {
            await Task.Delay(500);
            counted = await customer.RunAsync("fail2ban-client status sshd");
        }

        Assert.Contains("Total failed:\t1", counted);
    }
}
