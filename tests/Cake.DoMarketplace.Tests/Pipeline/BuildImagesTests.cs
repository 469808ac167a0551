using Cake.Core.IO;
using Path = System.IO.Path;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Pipeline;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;
using NSubstitute;
using Step = System.Func<Cake.DoMarketplace.Ssh.IRemoteSession, System.Threading.CancellationToken, System.Threading.Tasks.Task<string?>>;

namespace Cake.DoMarketplace.Tests.Pipeline;

/// <summary>
/// DoBuildImages on fakes: each variant's whole step list runs against a fake cloud of its own (droplet 9, 1009, 2009 …),
/// so the tests read which variant created and removed what. Concurrency is counted in the variants' own steps, never timed.
/// </summary>
public sealed class BuildImagesTests : IDisposable
{
    // Only a guard against a hang when the code under test is broken; no assertion depends on it.
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(2);

    private readonly string work = Directory.CreateTempSubdirectory("cdm-variants-").FullName;
    private readonly RecordingLog log = new();
    private readonly SignalCancellation signals = new();
    private readonly List<FakeBuildCloud> clouds = [];
    private readonly List<string> started = [];
    private Action<string>? onStart;

    public void Dispose() => Directory.Delete(work, true);

    [Fact]
    public void Every_variant_builds_its_own_image_on_its_own_droplet_key_and_tag_with_prefixed_lines_and_one_table()
    {
        var result = Build([Variant("lemp-12"), Variant("lemp-13"), Variant("lamp-12")], new BuildImagesSettings());

        Assert.Equal(["lemp-12", "lemp-13", "lamp-12"], result.Variants.Select(v => v.Name));
        Assert.All(result.Variants, v => Assert.Equal(VariantStatus.Succeeded, v.Status));
        Assert.Equal([777L, 1777L, 2777L], result.Variants.Select(v => v.Image!.Image.ImageId));
        for (var i = 0; i < 3; i++)
        {
            var cloud = clouds[i];
            cloud.Api.Received(1).CreateDropletAsync(Arg.Any<DoDropletCreateRequest>(), Arg.Any<CancellationToken>());
            Assert.Equal([$"delete droplet {cloud.OwnDropletId}", $"delete key {cloud.OwnKeyId}"], cloud.Deletes);
        }

        var keys = clouds.SelectMany(c => c.Api.ReceivedCalls().Where(call => call.GetMethodInfo().Name == "CreateSshKeyAsync"))
            .Select(c => c.GetArguments()[0]);
        Assert.Equal(3, keys.Distinct().Count());
        var tags = clouds.Select(c => c.Api.ReceivedCalls().Single(call => call.GetMethodInfo().Name == "UntagResourcesAsync").GetArguments()[0]);
        Assert.Equal(3, tags.Distinct().Count());

        var stepLines = log.Lines.Select(l => l.Text).Where(t => t.Contains("==> [", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(stepLines);
        Assert.All(stepLines, line => Assert.Matches(@"^\[(lemp-12|lemp-13|lamp-12)\] ==> \[", line));
        foreach (var name in new[] { "lemp-12", "lemp-13", "lamp-12" })
        {
            Assert.Contains(stepLines, line => line.StartsWith($"[{name}] ==> [1/", StringComparison.Ordinal));
        }

        Assert.Matches(@"(?m)^Step\s+lemp-12\s+lemp-13\s+lamp-12$", log.AllText);
        Assert.Matches(@"(?m)^Run the app's setup\s+ok \S+\s+ok \S+\s+ok \S+$", log.AllText);
        Assert.Matches(@"(?m)^Result\s+Succeeded\s+Succeeded\s+Succeeded$", log.AllText);
        Assert.DoesNotMatch(@"(?m)^\[lemp-12\] Step\s", log.AllText); // the variants' own tables give way to the combined one
        foreach (var name in new[] { "lemp-12", "lemp-13", "lamp-12" })
        {
            Assert.True(File.Exists(Path.Combine(work, "artifacts", "image-validation", name, "fake-build-validation.md")), name); // none overwrote another
        }
    }

    [Fact]
    public void A_failing_variant_cleans_up_after_itself_the_others_go_on_and_the_error_carries_their_images()
    {
        var failing = Variant("lemp-13", (_, _) => throw new RemoteCommandException("fake-build",
            new RemoteCommandResult("./setup.sh", 7, string.Empty, "no disk", TimeSpan.Zero)));

        var error = Assert.Throws<VariantBuildsFailedException>(() => Build([Variant("lemp-12"), failing, Variant("lamp-12")], new BuildImagesSettings()));

        Assert.Contains("1 of 3 image variant(s) did not succeed", error.Message, StringComparison.Ordinal);
        Assert.Contains("lemp-13: Failed: RemoteCommandException", error.Message, StringComparison.Ordinal);
        Assert.Contains("lemp-12 (image 777), lamp-12 (image 2777)", error.Message, StringComparison.Ordinal);
        Assert.Equal(
            [VariantStatus.Succeeded, VariantStatus.Failed, VariantStatus.Succeeded],
            error.Result.Variants.Select(v => v.Status));
        Assert.IsType<RemoteCommandException>(error.Result.Variants[1].Error);
        Assert.Equal([777L, 2777L], error.Result.Succeeded.Select(v => v.Image!.Image.ImageId));
        Assert.Equal(["delete droplet 1009", "delete key 1055"], clouds[1].Deletes);
        Assert.Empty(clouds[1].CancelledDeletes);
        Assert.Contains(error.Result.Variants[1].Steps, s => s.Name == "Run the app's setup" && s.Outcome == "FAILED");
        Assert.Matches(@"(?m)^Run the app's setup\s+ok \S+\s+FAILED \S+\s+ok \S+$", log.AllText);
        Assert.Matches(@"(?m)^Power off and snapshot\s+ok \S+\s+-\s+ok \S+$", log.AllText);
    }

    [Fact]
    public void The_CI_job_summary_gets_each_variants_section_and_then_one_table_with_a_column_per_variant()
    {
        var summary = Path.Combine(work, "summary.md");
        var variants = new[] { Variant("lemp-12"), Variant("lemp-13", (_, _) => throw new IOException("disk gone")) };
        foreach (var cloud in clouds)
        {
            cloud.Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY").Returns(summary);
        }

        Build([.. variants], new BuildImagesSettings { ThrowOnFailure = false });

        var text = File.ReadAllText(summary);
        var combined = text.IndexOf("## 2 image variants: 1 succeeded", StringComparison.Ordinal);
        Assert.True(combined > 0, text);
        Assert.True(text.LastIndexOf("## lemp-1", StringComparison.Ordinal) < combined, text); // the variants' own sections come first
        Assert.Matches(@"(?m)^\| Step \| lemp-12 \| lemp-13 \|$", text[combined..]);
        Assert.Matches(@"(?m)^\| Run the app's setup \| ok \S+ \| FAILED \S+ \|$", text[combined..]);
        Assert.Matches(@"(?m)^\| Result \| Succeeded \| Failed \|$", text[combined..]);
    }

    [Fact]
    public void Without_ThrowOnFailure_the_results_come_back_with_the_failed_variant_in_them()
    {
        var failing = Variant("lemp-13", (_, _) => throw new IOException("disk gone"));

        var result = Build([Variant("lemp-12"), failing], new BuildImagesSettings { ThrowOnFailure = false });

        Assert.Equal([VariantStatus.Succeeded, VariantStatus.Failed], result.Variants.Select(v => v.Status));
        Assert.IsType<IOException>(result.NotSucceeded.Single().Error);
        Assert.Equal(["delete droplet 1009", "delete key 1055"], clouds[1].Deletes);
    }

    [Fact]
    public void StopOnFirstFailure_cancels_the_running_variant_which_cleans_up_and_never_starts_the_queued_one()
    {
        var secondRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = Variant("a", async (_, t) =>
        {
            await secondRunning.Task.WaitAsync(Guard, t);
            throw new IOException("disk gone");
        });
        var second = Variant("b", async (_, t) =>
        {
            secondRunning.TrySetResult();
            await Task.Delay(Guard, t);
            return "not cancelled";
        });

        var error = Assert.Throws<VariantBuildsFailedException>(() =>
            Build([first, second, Variant("c")], new BuildImagesSettings { MaxParallel = 2, StopOnFirstFailure = true }));

        Assert.Equal([VariantStatus.Failed, VariantStatus.Cancelled, VariantStatus.NotStarted], error.Result.Variants.Select(v => v.Status));
        Assert.IsAssignableFrom<OperationCanceledException>(error.Result.Variants[1].Error);
        Assert.Equal(["a", "b"], started.Order(StringComparer.Ordinal));
        clouds[2].Api.DidNotReceive().CreateDropletAsync(Arg.Any<DoDropletCreateRequest>(), Arg.Any<CancellationToken>());
        Assert.Equal(["delete droplet 9", "delete key 55"], clouds[0].Deletes);
        Assert.Equal(["delete droplet 1009", "delete key 1055"], clouds[1].Deletes);
        Assert.Empty(clouds[1].CancelledDeletes);
        Assert.Contains("c: NotStarted: never started", error.Message, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^Result\s+Failed\s+Cancelled\s+NotStarted$", log.AllText);
    }

    [Fact]
    public void With_MaxParallel_2_two_variants_build_at_once_and_the_third_starts_only_when_one_has_finished()
    {
        var running = 0;
        var most = 0;
        var twoRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Step counted = async (_, t) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            if (now >= 2)
            {
                twoRunning.TrySetResult();
            }

            await twoRunning.Task.WaitAsync(Guard, t);
            Interlocked.Decrement(ref running);
            return null;
        };
        bool? oneFinishedBeforeThirdStarted = null;
        onStart = name =>
        {
            if (name == "c")
            {
                oneFinishedBeforeThirdStarted = clouds.Take(2).Any(c => c.Calls.Any(call => call.StartsWith("untag ", StringComparison.Ordinal)));
            }
        };

        var result = Build([Variant("a", counted), Variant("b", counted), Variant("c", counted)], new BuildImagesSettings { MaxParallel = 2 });

        Assert.All(result.Variants, v => Assert.Equal(VariantStatus.Succeeded, v.Status));
        Assert.Equal(2, most);
        Assert.True(oneFinishedBeforeThirdStarted);
    }

    [Fact]
    public void A_bad_setting_of_one_variant_fails_before_anything_is_created_for_any()
    {
        var bad = Variant("b");
        bad.ScriptsDirectory = new DirectoryPath(Path.Combine(work, "no-such-folder"));

        var error = Assert.Throws<DoSettingsException>(() => Build([Variant("a"), bad], new BuildImagesSettings()));

        Assert.Equal("MarketplaceImageSettings.ScriptsDirectory", error.Setting);
        Assert.StartsWith("Variant b: ", error.Message, StringComparison.Ordinal);
        Assert.Empty(started);
        Assert.All(clouds, NothingCreated);
    }

    [Fact]
    public void Two_variants_with_one_name_or_none_are_refused_before_anything_is_created()
    {
        var twice = Assert.Throws<DoSettingsException>(() => Build([Variant("a"), Variant("b"), Variant("A")], new BuildImagesSettings()));
        var unnamed = Variant("x");
        unnamed.Snapshot.Name = null;
        var none = Assert.Throws<DoSettingsException>(() => Build([unnamed], new BuildImagesSettings()));

        Assert.Equal("MarketplaceImageSettings.Snapshot.Name", twice.Setting);
        Assert.Contains("variants 1 and 3 are both named 'A'", twice.Message, StringComparison.Ordinal);
        Assert.Equal("MarketplaceImageSettings.Snapshot.Name", none.Setting);
        Assert.Contains("of variant 1 is not set", none.Message, StringComparison.Ordinal);
        Assert.Empty(started);
        Assert.All(clouds, NothingCreated);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void MaxParallel_below_1_is_refused_naming_it_before_anything_is_created(int maxParallel)
    {
        var error = Assert.Throws<DoSettingsException>(() => Build([Variant("a")], new BuildImagesSettings { MaxParallel = maxParallel }));

        Assert.Equal("BuildImagesSettings.MaxParallel", error.Setting);
        Assert.Contains($"is {maxParallel}", error.Message, StringComparison.Ordinal);
        Assert.Empty(started);
        Assert.All(clouds, NothingCreated);
    }

    [Fact]
    public void A_stop_signal_cancels_every_variant_their_clean_ups_run_the_queued_one_never_starts_and_the_alias_ends_stopped()
    {
        var arrived = 0;
        Step waiting = async (_, t) =>
        {
            if (Interlocked.Increment(ref arrived) == 2)
            {
                Assert.True(signals.Signal("SIGTERM"));
            }

            await Task.Delay(Guard, t);
            return "not cancelled";
        };

        var error = Assert.Throws<BuildStoppedException>(() =>
            Build([Variant("a", waiting), Variant("b", waiting), Variant("c")], new BuildImagesSettings { MaxParallel = 2 }));

        Assert.Equal("SIGTERM", error.Signal);
        var results = Assert.IsType<VariantBuildsFailedException>(error.InnerException).Result;
        Assert.Equal([VariantStatus.Cancelled, VariantStatus.Cancelled, VariantStatus.NotStarted], results.Variants.Select(v => v.Status));
        Assert.All(results.Variants.Take(2), v => Assert.IsType<BuildStoppedException>(v.Error));
        Assert.Equal(["delete droplet 9", "delete key 55"], clouds[0].Deletes);
        Assert.Equal(["delete droplet 1009", "delete key 1055"], clouds[1].Deletes);
        Assert.All(clouds, c => Assert.Empty(c.CancelledDeletes));
        NothingCreated(clouds[2]);
        Assert.Equal(["a", "b"], started.Order(StringComparer.Ordinal));
    }

    private static void NothingCreated(FakeBuildCloud cloud)
    {
        cloud.Api.DidNotReceive().CreateSshKeyAsync(Arg.Any<string>(), Arg.Any<string>(), Arg.Any<CancellationToken>());
        cloud.Api.DidNotReceive().CreateDropletAsync(Arg.Any<DoDropletCreateRequest>(), Arg.Any<CancellationToken>());
    }

    private static void InterlockedMax(ref int most, int value)
    {
        for (var seen = Volatile.Read(ref most); value > seen; seen = Volatile.Read(ref most))
        {
            if (Interlocked.CompareExchange(ref most, value, seen) == seen)
            {
                return;
            }
        }
    }

    private MarketplaceImageSettings Variant(string name, Step? setup = null)
    {
        clouds.Add(new FakeBuildCloud(work, clouds.Count));
        var settings = FakeBuildCloud.Settings(new RemoteStep("Run the app's setup", setup ?? ((_, _) => Task.FromResult<string?>("set up"))));
        settings.Snapshot.Name = name;
        return settings;
    }

    private ImageBuildsResult Build(IReadOnlyList<MarketplaceImageSettings> variants, BuildImagesSettings settings)
    {
        var byName = new Dictionary<string, FakeBuildCloud>(StringComparer.Ordinal);
        for (var i = 0; i < variants.Count; i++)
        {
            byName.TryAdd(variants[i].Snapshot.Name ?? string.Empty, clouds[i]);
        }

        var build = new ImageVariantsBuild(new FileSystem(), clouds[0].Environment, log, signals, (name, variantLog) =>
        {
            lock (started)
            {
                started.Add(name);
            }

            onStart?.Invoke(name);
            return byName[name].Pipeline(variantLog, signals);
        });
        return build.Build(variants, settings);
    }
}
