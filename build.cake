// Cake.DoMarketplace's own build: dotnet tool restore, then dotnet cake --target=<Build|Test|Pack|Snapshot>.
var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");
var version = Argument("package-version", "0.1.0");
var feed = MakeAbsolute(Directory("./artifacts/packages"));
var solution = File("./Cake.DoMarketplace.sln");

Task("Build")
    .Does(() =>
{
    DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration });
});

Task("TestPrerequisites")
    .Description("Installs what the tests need on a fresh machine (OpenSSH's sshd), or says how to get it.")
    .Does(() =>
{
    if (FileExists("/usr/sbin/sshd"))
    {
        Information("sshd present: /usr/sbin/sshd");
        return;
    }

    var isRoot = System.Environment.UserName == "root";
    if (!isRoot || !FileExists("/usr/bin/apt-get"))
    {
        throw new Exception("The SSH tests need OpenSSH's server (/usr/sbin/sshd). Install it, e.g. 'sudo apt-get install -y openssh-server', and run again.");
    }

    Information("Installing openssh-server for the SSH tests (apt-get, as root)");
    if (StartProcess("apt-get", new ProcessSettings { Arguments = "update -qq" }) != 0
        || StartProcess("apt-get", new ProcessSettings { Arguments = "install -y -qq openssh-server", EnvironmentVariables = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" } }) != 0)
    {
        throw new Exception("apt-get could not install openssh-server; install it by hand and run again.");
    }
});

Task("Test")
    .IsDependentOn("TestPrerequisites")
    .IsDependentOn("Build")
    .Does(() =>
{
    DotNetTest(solution, new DotNetTestSettings
    {
        Configuration = configuration,
        NoBuild = true,
        Loggers = { "console;verbosity=normal", "trx;LogFileName=tests.trx" },
        ResultsDirectory = "./artifacts/test-results",
    });
});

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
    .Description("Builds the example Marketplace image: on DigitalOcean when DIGITALOCEAN_TOKEN is set.")
    .IsDependentOn("Pack")
    .Does(() =>
{
    var token = EnvironmentVariable("DIGITALOCEAN_TOKEN") ?? EnvironmentVariable("DIGITALOCEAN_ACCESS_TOKEN");
    var apiUrl = EnvironmentVariable("DIGITALOCEAN_API_URL");
    if (string.IsNullOrWhiteSpace(token))
    {
        throw new Exception("No DIGITALOCEAN_TOKEN is set. Set it to build on DigitalOcean. " +
                            "(The offline local cloud that is used when no token is set is not part of this version yet.)");
    }

    Information("Building on {0}", string.IsNullOrWhiteSpace(apiUrl) ? "DigitalOcean (api.digitalocean.com)" : apiUrl);
    var exit = StartProcess("dotnet", new ProcessSettings
    {
        Arguments = new ProcessArgumentBuilder()
            .Append("cake").AppendQuoted("build.cake")
            .Append("--nuget_source=" + new Uri(feed.FullPath + "/").AbsoluteUri),
        WorkingDirectory = "./examples/minimal",
    });
    if (exit != 0)
    {
        throw new Exception($"The example build failed with exit code {exit}.");
    }
});

RunTarget(target);
