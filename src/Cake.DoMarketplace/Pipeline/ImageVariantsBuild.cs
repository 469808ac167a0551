using System.Diagnostics;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Pipeline;

/// <summary>
/// Several image variants built at once, each by its own <see cref="MarketplaceImagePipeline"/> (its own droplet, key,
/// build tag and lease), at most <see cref="BuildImagesSettings.MaxParallel"/> at a time, started in their order. Every
/// variant's settings are checked before any starts. A failing variant cleans up after itself and the others go on, unless
/// <see cref="BuildImagesSettings.StopOnFirstFailure"/>; a stop signal cancels them all. Each variant's log lines start with
/// its name; one table with a column per variant ends the run. The variants' API clients share the account's rate budget
/// by construction (one per token and address in the process).
/// </summary>
/// <param name="files">The build script's file system.</param>
/// <param name="environment">The build script's environment.</param>
/// <param name="cakeLog">The run's log; each variant writes to it through a prefix.</param>
/// <param name="signals">The stop signals' cancellation (<see cref="PipelineServices.Cancellation"/>).</param>
/// <param name="pipeline">Makes the pipeline of the named variant, writing to the given log.</param>
internal sealed class ImageVariantsBuild(
    IFileSystem files,
    ICakeEnvironment environment,
    ICakeLog cakeLog,
    SignalCancellation signals,
    Func<string, ICakeLog, MarketplaceImagePipeline> pipeline)
{
    private const string Prefix = nameof(BuildImagesSettings) + ".";
    private const string NameSetting = nameof(MarketplaceImageSettings) + "." + nameof(MarketplaceImageSettings.Snapshot) + ".Name";

    private readonly object lines = new();

    /// <summary>
    /// Builds the variants; each is named by <paramref name="names"/> when given (a Packer template's builder names), else by
    /// its <c>Snapshot.Name</c>.
    /// </summary>
    public ImageBuildsResult Build(IReadOnlyList<MarketplaceImageSettings> variants, BuildImagesSettings settings, IReadOnlyList<string>? names = null)
    {
        var plans = Check(variants, settings, names);
        using var run = signals.Begin();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(run.Token);
        var results = new VariantResult?[plans.Count];
        var next = -1;
        void Worker()
        {
            for (var i = Interlocked.Increment(ref next); i < plans.Count; i = Interlocked.Increment(ref next))
            {
                var (name, plan) = plans[i];
                results[i] = stop.IsCancellationRequested
                    ? new VariantResult(name, VariantStatus.NotStarted, null, null, TimeSpan.Zero, [])
                    : BuildVariant(name, plan, stop.Token);
                if (results[i]!.Status == VariantStatus.Failed && settings.StopOnFirstFailure && !stop.IsCancellationRequested)
                {
                    cakeLog.Warn($"Variant {name} failed: the other variants stop (StopOnFirstFailure); their clean-ups run");
                    stop.Cancel();
                }
            }
        }

        var degree = Math.Min(settings.MaxParallel, plans.Count);
        cakeLog.Info($"Building {plans.Count} image variant(s), {degree} at a time: {string.Join(", ", plans.Select(p => p.Name))}");

        // Own threads, not the pool's: each pipeline blocks its thread on its steps, as the synchronous alias does.
        var workers = Enumerable.Range(0, degree)
            .Select(_ => Task.Factory.StartNew(Worker, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))
            .ToArray();
        Task.WaitAll(workers, CancellationToken.None);

        var result = new ImageBuildsResult([.. results.Select(r => r!)]);
        VariantStepTable.Print(cakeLog, result.Variants);
        JobSummary.AppendIfRequested(files, environment, cakeLog, VariantStepTable.Markdown(result.Variants));
        if (run.CancelledBy is { } signal && result.NotSucceeded.Count > 0)
        {
            throw new BuildStoppedException(signal, new VariantBuildsFailedException(result));
        }

        if (result.NotSucceeded.Count > 0 && settings.ThrowOnFailure)
        {
            throw new VariantBuildsFailedException(result);
        }

        return result;
    }

    /// <summary>The variants' names and plans, every setting checked before anything is created.</summary>
    private List<(string Name, ImageBuildPlan Plan)> Check(IReadOnlyList<MarketplaceImageSettings> variants, BuildImagesSettings settings,
        IReadOnlyList<string>? names)
    {
        if (settings.MaxParallel <= 0)
        {
            throw new DoSettingsException(Prefix + nameof(settings.MaxParallel),
                $"{Prefix}{nameof(settings.MaxParallel)} is {settings.MaxParallel}: set how many variants build at once, 1 or more (default 3).");
        }

        if (variants.Count == 0)
        {
            throw new DoSettingsException("variants", "DoBuildImages got no variant: pass one MarketplaceImageSettings per image to build.");
        }

        var plans = new List<(string, ImageBuildPlan)>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < variants.Count; i++)
        {
            var variant = variants[i] ?? throw new ArgumentException($"Variant {i + 1} is null.", nameof(variants));
            var name = names is null ? variant.Snapshot.Name : names[i];
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new DoSettingsException(NameSetting,
                    $"{NameSetting} of variant {i + 1} is not set: give each variant of DoBuildImages its own image name, such as \"lemp-debian-12\".");
            }

            var folder = FolderName(name);
            if (seen.TryGetValue(folder, out var first))
            {
                throw new DoSettingsException(NameSetting,
                    $"{NameSetting}: variants {first + 1} and {i + 1} are both named '{name}' (as a folder name, case ignored: '{folder}'): give each "
                    + "variant its own image name.");
            }

            seen.Add(folder, i);
            try
            {
                // Each variant's validation report in a folder of its own: the reports are named after the build droplet, which variants may share.
                var plan = ImageBuildPlan.Resolve(variant, files, environment);
                plans.Add((name, plan with { ValidationReports = plan.ValidationReports is { } reports ? System.IO.Path.Combine(reports, folder) : null }));
            }
            catch (DoSettingsException e)
            {
                throw new DoSettingsException(e.Setting, $"Variant {name}: {e.Message}");
            }
        }

        return plans;
    }

    /// <summary>The variant's name as a folder name: letters, digits, <c>.</c>, <c>_</c> and <c>-</c> kept, anything else a <c>-</c>.</summary>
    private static string FolderName(string name)
    {
        var folder = new string([.. name.Trim().Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-')]);
        return folder.Trim('.').Length == 0 ? "variant-" + folder : folder; // never "." or ".."
    }

    /// <summary>The log of the named variant: the run's, each line starting with <c>[name]</c>, multi-line messages kept whole.</summary>
    public ICakeLog VariantLog(string name) => new PrefixedCakeLog(cakeLog, name, lines);

    private VariantResult BuildVariant(string name, ImageBuildPlan plan, CancellationToken stop)
    {
        var builder = pipeline(name, VariantLog(name));
        var clock = Stopwatch.StartNew();
        try
        {
            var image = builder.Build(plan, name, stop);
            return new VariantResult(name, VariantStatus.Succeeded, image, null, clock.Elapsed, image.Steps);
        }
#pragma warning disable CA1031 // A variant's failure of any kind is its result; the other variants go on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var cancelled = e is BuildStoppedException || (e is OperationCanceledException && stop.IsCancellationRequested);
            return new VariantResult(name, cancelled ? VariantStatus.Cancelled : VariantStatus.Failed, null, e, clock.Elapsed, builder.StepsSoFar);
        }
    }
}
