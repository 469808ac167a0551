using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.ImageTests;
using Cake.DoMarketplace.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Cake.DoMarketplace.Tests.Ci;

/// <summary>The CI templates in examples/ci parse, and say what their comments promise.</summary>
public sealed class CiTemplateTests
{
    private static readonly string Folder = Path.Combine(RepositoryPaths.Root, "examples", "ci");

    /// <summary>Where the addin writes JUnit reports by default, as globs a CI can collect.</summary>
    private static readonly string[] JUnitGlobs =
    [
        new ValidationSettings().ReportDirectory!.FullPath + "/*.xml",
        new TestImageSettings().ReportDirectory!.FullPath + "/*.xml",
    ];

    [Fact]
    public void The_github_workflow_builds_on_the_local_cloud_for_pull_requests_and_on_digitalocean_for_tags()
    {
        var workflow = Load("github-actions.yml");
        var triggers = Map(workflow, "on");
        Assert.True(triggers.Children.ContainsKey("pull_request"));
        Assert.Contains("v*", Sequence(Map(triggers, "push"), "tags"));
        Assert.Equal("write", Scalar(Map(workflow, "permissions"), "checks"));

        var jobs = Map(workflow, "jobs");
        var local = Map(jobs, "local-cloud");
        var digitalOcean = Map(jobs, "digitalocean");
        Assert.Equal("github.event_name == 'pull_request'", Scalar(local, "if"));
        Assert.Equal("startsWith(github.ref, 'refs/tags/')", Scalar(digitalOcean, "if"));

        // Root for the local cloud (sudo), none needed on DigitalOcean; both build then test.
        Assert.Equal(["sudo -E env \"PATH=$PATH\" dotnet cake --target=Snapshot", "sudo -E env \"PATH=$PATH\" dotnet cake --target=TestImage"],
            Runs(local).Where(r => r.Contains("cake", StringComparison.Ordinal)));
        Assert.Equal(["dotnet cake --target=Snapshot", "dotnet cake --target=TestImage"],
            Runs(digitalOcean).Where(r => r.Contains("cake", StringComparison.Ordinal)));

        // The token comes from the secret store, only into the DigitalOcean job.
        Assert.Equal("${{ secrets.DIGITALOCEAN_TOKEN }}", Scalar(Map(digitalOcean, "env"), "DIGITALOCEAN_TOKEN"));
        Assert.False(local.Children.ContainsKey("env"));

        foreach (var job in new[] { local, digitalOcean })
        {
            var reporter = Uses(job, "dorny/test-reporter@");
            Assert.Equal("always()", Scalar(reporter, "if"));
            Assert.Equal("java-junit", Scalar(Map(reporter, "with"), "reporter"));
            Assert.Equal(JUnitGlobs, Scalar(Map(reporter, "with"), "path").Split(','));

            var upload = Uses(job, "actions/upload-artifact@");
            Assert.Equal("always()", Scalar(upload, "if"));
            var kept = Scalar(Map(upload, "with"), "path").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal(JUnitGlobs.Select(g => g[..^"*.xml".Length]), kept);
        }
    }

    [Fact]
    public void The_gitlab_jobs_build_on_the_local_cloud_for_merge_requests_and_on_digitalocean_for_tags()
    {
        var pipeline = Load("gitlab-ci.yml");
        var template = Map(pipeline, ".marketplace-image");
        var artifacts = Map(template, "artifacts");
        Assert.Equal("always", Scalar(artifacts, "when"));
        Assert.Equal(JUnitGlobs, Sequence(Map(artifacts, "reports"), "junit"));
        Assert.Equal(JUnitGlobs.Select(g => g[..^"*.xml".Length]), Sequence(artifacts, "paths"));
        Assert.Equal(["dotnet cake --target=Snapshot", "dotnet cake --target=TestImage"], Sequence(template, "script"));

        var local = Map(pipeline, "image:local-cloud");
        var digitalOcean = Map(pipeline, "image:digitalocean");
        Assert.Equal(".marketplace-image", Scalar(local, "extends"));
        Assert.Equal(".marketplace-image", Scalar(digitalOcean, "extends"));
        Assert.Equal("$CI_PIPELINE_SOURCE == \"merge_request_event\"", Scalar(Rule(local), "if"));
        Assert.Equal("$CI_COMMIT_TAG", Scalar(Rule(digitalOcean), "if"));
        Assert.Contains("privileged", Sequence(local, "tags"));

        // The token is a CI/CD variable: the file checks for it and never sets it.
        var script = Sequence(digitalOcean, "script");
        Assert.Contains(script, line => line.StartsWith("test -n \"$DIGITALOCEAN_TOKEN\"", StringComparison.Ordinal));
        Assert.Equal(["dotnet cake --target=Snapshot", "dotnet cake --target=TestImage"], script.Skip(1));
        Assert.False(Map(pipeline, "variables").Children.ContainsKey("DIGITALOCEAN_TOKEN"));
    }

    [Theory]
    [InlineData("github-actions.yml")]
    [InlineData("gitlab-ci.yml")]
    public void No_template_sets_a_token_itself(string file)
    {
        var text = File.ReadAllText(Path.Combine(Folder, file));

        Assert.DoesNotContain("dop_v1_", text, StringComparison.Ordinal);
        var assignments = text.Split('\n').Where(l => l.TrimStart().StartsWith("DIGITALOCEAN_TOKEN:", StringComparison.Ordinal)).ToList();
        Assert.All(assignments, a => Assert.EndsWith("${{ secrets.DIGITALOCEAN_TOKEN }}", a.TrimEnd(), StringComparison.Ordinal));
    }

    [Fact]
    public void The_report_globs_collect_the_junit_files_the_addin_writes()
    {
        var folder = Directory.CreateTempSubdirectory("ci-globs-").FullName;
        try
        {
            var report = new ValidationReport("build", "Debian 12", DateTimeOffset.UnixEpoch, []);
            var files = ValidationReportWriter.WriteAll(report, new ReportFolder(new Cake.Core.IO.FileSystem(), folder), "build-validation");

            Assert.Single(files, f => Path.GetExtension(f) == ".xml");
            Assert.All(JUnitGlobs, g => Assert.EndsWith("/*.xml", g, StringComparison.Ordinal));
            Assert.Equal(["artifacts/image-validation/*.xml", "artifacts/image-test/*.xml"], JUnitGlobs);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static YamlMappingNode Load(string file)
    {
        using var reader = new StreamReader(Path.Combine(Folder, file));
        var stream = new YamlStream();
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) => Assert.IsType<YamlMappingNode>(node.Children[new YamlScalarNode(key)]);

    private static string Scalar(YamlMappingNode node, string key) => Assert.IsType<YamlScalarNode>(node.Children[new YamlScalarNode(key)]).Value!;

    private static List<string> Sequence(YamlMappingNode node, string key) =>
        [.. Assert.IsType<YamlSequenceNode>(node.Children[new YamlScalarNode(key)]).Children.Select(c => ((YamlScalarNode)c).Value!)];

    private static IEnumerable<YamlMappingNode> Steps(YamlMappingNode job) =>
        Assert.IsType<YamlSequenceNode>(job.Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>();

    private static List<string> Runs(YamlMappingNode job) =>
        [.. Steps(job).Where(s => s.Children.ContainsKey(new YamlScalarNode("run"))).Select(s => Scalar(s, "run").Trim())];

    private static YamlMappingNode Uses(YamlMappingNode job, string action) =>
        Assert.Single(Steps(job), s => s.Children.ContainsKey(new YamlScalarNode("uses")) && Scalar(s, "uses").StartsWith(action, StringComparison.Ordinal));

    private static YamlMappingNode Rule(YamlMappingNode job) =>
        (YamlMappingNode)Assert.Single(Assert.IsType<YamlSequenceNode>(job.Children[new YamlScalarNode("rules")]).Children);
}
