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

Task("Build")
    .Does(() =>
{
    DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration });
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
    if (StartProcess("apt-get", new ProcessSettings { Arguments = "update -qq" }) != 0
        || StartProcess("apt-get", new ProcessSettings { Arguments = "install -y -qq " + packages, EnvironmentVariables = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" } }) != 0)
    {
        throw new Exception($"apt-get could not install {packages}; install it by hand and run again.");
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
    DotNetPack("./src/Cake.DoMarketplace/Cake.DoMarketplace.csproj", new DotNetPackSettings
    {
        Configuration = configuration,
        OutputDirectory = feed,
        MSBuildSettings = new DotNetMSBuildSettings().WithProperty("Version", version),
    });
    Information("Packed Cake.DoMarketplace {0} into {1}", version, feed);
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

void RunExample(string exampleTarget, params string[] arguments)
{
    var token = EnvironmentVariable("DIGITALOCEAN_TOKEN") ?? EnvironmentVariable("DIGITALOCEAN_ACCESS_TOKEN");
    LocalCloud cloud = null;
    var environment = new Dictionary<string, string>();
    if (string.IsNullOrWhiteSpace(token))
    {
        cloud = LocalCloud.Start(Context, localCloudDll, MakeAbsolute(Directory("./.local-cloud")).FullPath);
        environment["DIGITALOCEAN_TOKEN"] = cloud.Token;
        environment["DIGITALOCEAN_API_URL"] = cloud.Url;
        Information("No DIGITALOCEAN_TOKEN: using the local cloud at {0}", cloud.Url);
    }
    else
    {
        Information("DIGITALOCEAN_TOKEN is set: using DigitalOcean ({0})", EnvironmentVariable("DIGITALOCEAN_API_URL") ?? "https://api.digitalocean.com");
    }

    try
    {
        foreach (var example in exampleTarget == "Publish" ? examples.Take(1) : examples)
        {
            var folder = Directory("./examples") + Directory(example);
            if (!DirectoryExists(folder))
            {
                throw new Exception($"--example={example}: there is no examples/{example} folder. Known: {string.Join(", ", GetDirectories("./examples/*-1-click").Select(d => d.GetDirectoryName()))}.");
            }

            // The example resolves the addin from our freshly packed feed; drop Cake's cached copy of the same version.
            foreach (var cached in GetDirectories(folder.Path.FullPath + "/tools/Addins/Cake.DoMarketplace*"))
            {
                DeleteDirectory(cached, new DeleteDirectorySettings { Recursive = true, Force = true });
            }

            var builder = new ProcessArgumentBuilder()
                .Append("cake").AppendQuoted("build.cake")
                .Append("--target=" + exampleTarget)
                .Append("--nuget_source=" + new Uri(feed.FullPath + "/").AbsoluteUri);
            foreach (var argument in arguments)
            {
                builder.Append(argument);
            }

            Information("==> {0}: {1}", example, exampleTarget);
            var exit = StartProcess("dotnet", new ProcessSettings { Arguments = builder, WorkingDirectory = folder, EnvironmentVariables = environment });
            if (exit != 0)
            {
                throw new Exception($"The {example} example's {exampleTarget} target failed with exit code {exit}.");
            }
        }
    }
    finally
    {
        cloud?.Dispose();
    }
}

/// <summary>The local cloud as a child process: started on a free port with a one-time token, stopped gracefully.</summary>
public sealed class LocalCloud : IDisposable
{
    private readonly System.Diagnostics.Process process;
    private readonly ICakeContext context;

    private LocalCloud(ICakeContext context, System.Diagnostics.Process process, string url, string token)
    {
        this.context = context;
        this.process = process;
        Url = url;
        Token = token;
    }

    public string Url { get; }

    public string Token { get; }

    public static LocalCloud Start(ICakeContext context, string dll, string dataDirectory)
    {
        var token = "local-" + Guid.NewGuid().ToString("N");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { dll, "--port", "0", "--data-dir", dataDirectory })
        {
            start.ArgumentList.Add(argument);
        }

        // The token travels in the environment, not on the command line where other users could read it.
        start.Environment["LOCAL_CLOUD_TOKEN"] = token;
        var process = System.Diagnostics.Process.Start(start);
        var ready = new System.Threading.Tasks.TaskCompletionSource<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == null) { ready.TrySetException(new Exception("The local cloud exited before it was ready.")); return; }
            context.Log.Information("[local-cloud] {0}", e.Data);
            const string marker = "listening on ";
            var at = e.Data.IndexOf(marker);
            if (at >= 0) { ready.TrySetResult(e.Data.Substring(at + marker.Length).Split(' ')[0]); }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) { context.Log.Information("[local-cloud] {0}", e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!ready.Task.Wait(TimeSpan.FromMinutes(10)))
        {
            process.Kill(true);
            throw new Exception("The local cloud did not start within 10 minutes.");
        }

        return new LocalCloud(context, process, ready.Task.Result, token);
    }

    public void Dispose()
    {
        if (process.HasExited) { return; }
        // SIGTERM: the local cloud stops every droplet it runs before it exits.
        context.StartProcess("kill", new ProcessSettings { Arguments = "-TERM " + process.Id });
        if (!process.WaitForExit(60000))
        {
            process.Kill(true);
        }

        context.Log.Information("Local cloud stopped");
    }
}

RunTarget(target);
