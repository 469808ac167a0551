// Cake.DoMarketplace's own build: dotnet tool restore, then dotnet cake --target=<Build|Test|Pack|Snapshot>.
var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");
// One version number: Directory.Build.props; the examples' and README's #addin lines pin the same (a fast test checks).
var version = Argument("package-version", XmlPeek("./Directory.Build.props", "/Project/PropertyGroup/Version"));
var feed = MakeAbsolute(Directory("./artifacts/packages"));
var solution = File("./Cake.DoMarketplace.sln");
// The examples Snapshot/TestImage build and test, in order (--example=nginx-1-click for one).
var examples = Argument("example", "nginx-1-click,lemp-1-click").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
var localCloudDll = $"./src/Cake.DoMarketplace.LocalCloud/bin/{configuration}/net10.0/Cake.DoMarketplace.LocalCloud.dll";
// How long installing a test prerequisite waits, in all, while another process holds apt's locks (seconds).
var aptLockTimeout = Argument("apt-lock-timeout", 600);

Task("Build")
    .Does(() =>
{
    // Quiet: warnings and errors still show (and fail the build); the per-project lines do not.
    DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration, Verbosity = DotNetVerbosity.Quiet });
});

Task("FastTestPrerequisites")
    .Description("Installs what the fast suite needs on a fresh machine (shellcheck), or says how to get it.")
    .Does(() => InstallWhenMissing(new Dictionary<string, string> { ["/usr/bin/shellcheck"] = "shellcheck" }));

Task("TestPrerequisites")
    .Description("Installs what the integration suite needs on a fresh machine (OpenSSH's sshd), or says how to get it.")
    .IsDependentOn("FastTestPrerequisites")
    .Does(() => InstallWhenMissing(new Dictionary<string, string> { ["/usr/sbin/sshd"] = "openssh-server" }));

// Installs the Debian packages whose files are missing (apt-get, as root), or fails saying how to get them.
void InstallWhenMissing(IDictionary<string, string> packageByFile)
{
    foreach (var present in packageByFile.Where(p => FileExists(p.Key)))
    {
        Information("{0} present: {1}", present.Value, present.Key);
    }

    var missing = packageByFile.Where(p => !FileExists(p.Key)).Select(p => p.Value).Distinct().ToList();
    if (missing.Count == 0)
    {
        return;
    }

    var packages = string.Join(" ", missing);
    var isRoot = System.Environment.UserName == "root";
    if (!isRoot || !FileExists("/usr/bin/apt-get"))
    {
        throw new Exception($"The tests need {packages}. Install it, e.g. 'sudo apt-get install -y {packages}', and run again.");
    }

    Information("Installing {0} for the tests (apt-get, as root)", packages);
    // Through the addin's own helpers (package-locks.sh): while another process holds apt's locks (unattended-upgrades,
    // another apt-get) they say which and wait, and run apt-get again when another process takes them as it starts.
    var helpers = MakeAbsolute(File("./src/Cake.DoMarketplace/Packages/Scripts/package-locks.sh")).FullPath;
    var script = $". '{helpers}' && package_locks_begin && package_run apt-get update -qq && package_run apt-get install -y -qq {packages}";
    var errors = new List<string>();
    var exit = StartProcess("bash", new ProcessSettings
    {
        Arguments = new ProcessArgumentBuilder().Append("-c").AppendQuoted(script),
        EnvironmentVariables = new Dictionary<string, string>
        {
            ["DEBIAN_FRONTEND"] = "noninteractive",
            ["PACKAGE_LOCK_TIMEOUT"] = aptLockTimeout.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PACKAGE_LOCK_SETTING"] = "--apt-lock-timeout",
        },
        RedirectStandardError = true,
        RedirectedStandardErrorHandler = line =>
        {
            if (line is not null)
            {
                errors.Add(line);
                Information("{0}", line);
            }

            return line;
        },
    });
    if (exit == 75) // PACKAGE_LOCK_TIMEOUT_STATUS: the locks stayed held
    {
        var busy = errors.LastOrDefault(l => l.Contains("the package manager stayed busy: ")) ?? "another process held apt's locks";
        throw new Exception($"apt-get could not install {packages}: {busy.Trim()} Let it finish, or stop it, and run again.");
    }

    if (exit != 0)
    {
        throw new Exception($"apt-get could not install {packages} (exit {exit}; its messages are above); install it by hand and run again.");
    }
}

Task("LocalCloudPrerequisites")
    .Description("Installs debootstrap, systemd-container and nftables when missing and builds (or reuses) the local cloud's cached Debian 12 and 13 base images.")
    .IsDependentOn("Build")
    .Does(() =>
{
    if (StartProcess("dotnet", new ProcessSettings { Arguments = new ProcessArgumentBuilder().AppendQuoted(localCloudDll).Append("--prepare") }) != 0)
    {
        throw new Exception("The local cloud could not be prepared; its messages above say what is missing.");
    }
});

Task("FastTest")
    .Description("The fast suite only: no root, no sshd, no local cloud (tests without [Trait(\"Category\", \"Integration\")]).")
    .IsDependentOn("FastTestPrerequisites")
    .IsDependentOn("Build")
    .Does(() => RunTests("fast", "Category!=Integration"));

Task("Test")
    .Description("The fast suite, then the integration suite (real sshd, local cloud, packed addin in Cake); both always run.")
    .IsDependentOn("TestPrerequisites")
    .IsDependentOn("LocalCloudPrerequisites")
    .IsDependentOn("Build")
    .Does(() =>
{
    // Both suites always run, so one run reports everything that fails.
    var failed = new List<string>();
    foreach (var (suite, filter) in new[] { ("fast", "Category!=Integration"), ("integration", "Category=Integration") })
    {
        try
        {
            RunTests(suite, filter);
        }
        catch (Exception e)
        {
            failed.Add(suite);
            Error("The {0} suite failed: {1}", suite, e.Message);
        }
    }

    if (failed.Count > 0)
    {
        throw new Exception($"The {string.Join(" and the ", failed)} suite failed; see artifacts/test-results/{failed[0]}-tests.trx.");
    }
});

// One suite of the test project: console and trx loggers, results in artifacts/test-results/<suite>-tests.trx.
void RunTests(string suite, string filter)
{
    Information("==> {0} suite ({1})", suite, filter);
    DotNetTest(solution, new DotNetTestSettings
    {
        Configuration = configuration,
        NoBuild = true,
        Filter = filter,
        Loggers = { "console;verbosity=normal", $"trx;LogFileName={suite}-tests.trx" },
        ResultsDirectory = "./artifacts/test-results",
    });
}

Task("Pack")
    .Does(() =>
{
    CleanDirectory(feed);
    foreach (var project in new[] { "Cake.DoMarketplace", "Cake.DoMarketplace.LocalCloud" })
    {
        DotNetPack($"./src/{project}/{project}.csproj", new DotNetPackSettings
        {
            Configuration = configuration,
            Verbosity = DotNetVerbosity.Quiet,
            OutputDirectory = feed,
            MSBuildSettings = new DotNetMSBuildSettings().WithProperty("Version", version),
        });
    }

    Information("Packed Cake.DoMarketplace and the local cloud tool (Cake.DoMarketplace.LocalCloud) {0} into {1}", version, feed);
});

Task("Snapshot")
    .Description("Builds the example 1-Click images (examples/nginx-1-click, examples/lemp-1-click; --example=NAME for one): on DigitalOcean when DIGITALOCEAN_TOKEN is set, else on the local cloud.")
    .IsDependentOn("Pack")
    .IsDependentOn("LocalCloudPrerequisites")
    .Does(() => RunExample("Snapshot"));

Task("TestImage")
    .Description("Boots a droplet from each image Snapshot made and checks the app as a customer meets it (DoTestImage).")
    .IsDependentOn("Pack")
    .IsDependentOn("LocalCloudPrerequisites")
    .Does(() => RunExample("TestImage"));

Task("Publish")
    .Description("Submits the image to the Marketplace through the Vendor API (--app-id, or MARKETPLACE_APP_ID; the local cloud knows 'local-1-click-app').")
    .IsDependentOn("Pack")
    .IsDependentOn("LocalCloudPrerequisites")
    .Does(() => RunExample("Publish", "--app-id=" + Argument("app-id", EnvironmentVariable("MARKETPLACE_APP_ID") ?? "local-1-click-app")));

// Runs an example as a user runs it (dotnet cake in its folder). With no DIGITALOCEAN_TOKEN the example starts the local
// cloud itself (DoStartLocalCloud, data in ./.local-cloud here so images survive between the Snapshot and TestImage runs).
void RunExample(string exampleTarget, params string[] arguments)
{
    var token = EnvironmentVariable("DIGITALOCEAN_TOKEN") ?? EnvironmentVariable("DIGITALOCEAN_ACCESS_TOKEN");
    Information(string.IsNullOrWhiteSpace(token)
        ? "No DIGITALOCEAN_TOKEN: the examples start the local cloud on this machine"
        : $"DIGITALOCEAN_TOKEN is set: using DigitalOcean ({EnvironmentVariable("DIGITALOCEAN_API_URL") ?? "https://api.digitalocean.com"})");
    foreach (var example in exampleTarget == "Publish" ? examples.Take(1) : examples)
    {
        var folder = Directory("./examples") + Directory(example);
        if (!DirectoryExists(folder))
        {
            throw new Exception($"--example={example}: there is no examples/{example} folder. Known: {string.Join(", ", GetDirectories("./examples/*-1-click").Select(d => d.GetDirectoryName()))}.");
        }

        // The example resolves the addin and the local cloud tool from our freshly packed feed: drop Cake's cached copies
        // of the same version and its compiled script (built against them), and install the tool where the example's
        // #tool line looks (Cake installs dotnet tools from NuGet's sources, which do not include our feed).
        foreach (var cached in GetDirectories(folder.Path.FullPath + "/tools/Addins/Cake.DoMarketplace*").Append(folder.Path.Combine("tools/cache")).Where(DirectoryExists))
        {
            DeleteDirectory(cached, new DeleteDirectorySettings { Recursive = true, Force = true });
        }

        var tools = folder.Path.Combine("tools").FullPath;
        StartProcess("dotnet", new ProcessSettings { Arguments = new ProcessArgumentBuilder().Append("tool uninstall Cake.DoMarketplace.LocalCloud --tool-path").AppendQuoted(tools), RedirectStandardOutput = true, RedirectStandardError = true });
        if (StartProcess("dotnet", new ProcessSettings { Arguments = new ProcessArgumentBuilder().Append("tool install Cake.DoMarketplace.LocalCloud --version " + version + " --tool-path").AppendQuoted(tools).Append("--add-source").AppendQuoted(feed.FullPath), RedirectStandardOutput = true }) != 0)
        {
            throw new Exception("Could not install the local cloud tool from " + feed.FullPath);
        }

        var builder = new ProcessArgumentBuilder()
            .Append("cake").AppendQuoted("build.cake")
            .Append("--target=" + exampleTarget)
            .Append("--local-cloud-data=" + MakeAbsolute(Directory("./.local-cloud")).FullPath)
            .Append("--nuget_source=" + new Uri(feed.FullPath + "/").AbsoluteUri);
        foreach (var argument in arguments)
        {
            builder.Append(argument);
        }

        Information("==> {0}: {1}", example, exampleTarget);
        var exit = StartProcess("dotnet", new ProcessSettings { Arguments = builder, WorkingDirectory = folder });
        if (exit != 0)
        {
            throw new Exception($"The {example} example's {exampleTarget} target failed with exit code {exit}.");
        }
    }
}

RunTarget(target);
