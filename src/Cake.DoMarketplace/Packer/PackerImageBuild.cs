using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Pipeline;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Packer;

/// <summary>
/// <c>DoBuildPackerTemplate</c>: the template is read and checked whole (<see cref="PackerTemplateReader"/>), its builder
/// becomes the build droplet and snapshot of a <see cref="MarketplaceImageSettings"/>, its provisioners become steps
/// run in order on the build droplet, and <c>DoBuildImage</c>'s pipeline adds the cleanup, readiness, validation, the
/// snapshot and the image test. The caller's settings are read, never written.
/// </summary>
internal sealed class PackerImageBuild(IFileSystem files, ICakeEnvironment environment, ICakeLog log)
{
    private const string OnlySetting = nameof(PackerTemplateSettings) + "." + nameof(PackerTemplateSettings.Only);

    public MarketplaceImageResult Build(string displayPath, string fullPath, PackerTemplateSettings settings)
    {
        var template = Read(displayPath, fullPath, settings, DateTime.UtcNow);
        LogPlan(log, template);
        try
        {
            return new MarketplaceImagePipeline(files, environment, log).Build(ImageSettings(template, settings));
        }
        catch (DoSettingsException e) when (BuilderFields.FieldOf(e.Setting) is { } field)
        {
            throw AtBuilderField(displayPath, template, field, e);
        }
    }

    /// <summary>
    /// <c>DoBuildPackerTemplates</c>: every selected builder built at once as a variant of <see cref="ImageVariantsBuild"/>, named
    /// after the builder. Every builder's settings are checked (naming its fields) before anything is created.
    /// </summary>
    public ImageBuildsResult BuildAll(string displayPath, string fullPath, PackerTemplateSettings settings, SignalCancellation signals,
        Func<string, ICakeLog, MarketplaceImagePipeline> pipeline)
    {
        var templates = ReadAll(displayPath, fullPath, settings, DateTime.UtcNow);
        var variants = new ImageVariantsBuild(files, environment, log, signals, pipeline);
        var images = new List<MarketplaceImageSettings>();
        foreach (var template in templates)
        {
            var variantLog = variants.VariantLog(template.Builder.Name);
            LogPlan(variantLog, template);
            var image = new PackerImageBuild(files, environment, variantLog).ImageSettings(template, settings);
            try
            {
                _ = ImageBuildPlan.Resolve(image, files, environment);
            }
            catch (DoSettingsException e) when (BuilderFields.FieldOf(e.Setting) is { } field)
            {
                throw AtBuilderField(displayPath, template, field, e);
            }

            images.Add(image);
        }

        return variants.Build(images, settings.Builds, [.. templates.Select(t => t.Builder.Name)]);
    }

    /// <summary>The template's one build (after <c>Only</c>/<c>Except</c>); several are refused, naming <c>DoBuildPackerTemplates</c>.</summary>
    public PackerTemplate Read(string displayPath, string fullPath, PackerTemplateSettings settings, DateTime started)
    {
        var templates = ReadAll(displayPath, fullPath, settings, started);
        return templates.Count == 1 ? templates[0]
            : throw new DoSettingsException(OnlySetting,
                $"{displayPath} has {templates.Count} builders to build ({string.Join(", ", templates.Select(t => t.Builder.Name))}): "
                + $"DoBuildPackerTemplate builds one; build them at once with DoBuildPackerTemplates, or choose one with {OnlySetting}.");
    }

    /// <summary>The template's builds, one per selected builder, every builder and provisioner checked.</summary>
    public IReadOnlyList<PackerTemplate> ReadAll(string displayPath, string fullPath, PackerTemplateSettings settings, DateTime started)
    {
        var workingDirectory = settings.WorkingDirectory?.MakeAbsolute(environment).FullPath ?? System.IO.Path.GetDirectoryName(fullPath)!;
        var overrides = new Dictionary<string, string>(settings.Variables, StringComparer.Ordinal);
        return new PackerTemplateReader(files, displayPath, fullPath, workingDirectory, overrides, environment.GetEnvironmentVariable)
            .Read(started, [.. settings.Only], [.. settings.Except]);
    }

    /// <summary>The pipeline names its own settings; the template's author knows the builder's fields.</summary>
    private static DoSettingsException AtBuilderField(string displayPath, PackerTemplate template, string field, DoSettingsException e) =>
        new TemplateError(displayPath).At($"{template.Place}.{field}", $"(as {e.Setting}): {e.Message}");

    private static void LogPlan(ICakeLog log, PackerTemplate template) =>
        log.Info(
            $"Packer template {template.Path}: {template.Builder.Image} in {template.Builder.Region} ({template.Builder.Size}), "
            + $"{template.Provisioners.Count} provisioner(s)");

    /// <summary>The template as <c>DoBuildImage</c>'s settings; the token is resolved now, so a missing one names <c>api_token</c>.</summary>
    public MarketplaceImageSettings ImageSettings(PackerTemplate template, PackerTemplateSettings settings)
    {
        var builder = template.Builder;
        var api = DoApiCredentials.Resolve(builder.Token, builder.ApiUrl, environment.GetEnvironmentVariable, $"{template.Path}: {template.Place}.api_token");
        var image = new MarketplaceImageSettings
        {
            UpdatePackages = settings.UpdatePackages,
            CleanupOrphans = settings.CleanupOrphans,
            Cleanup = settings.Cleanup,
            Validation = settings.Validation,
            Readiness = settings.Readiness,
            TestImage = settings.TestImage,
            Test = settings.Test,
            KeepDropletOnFailure = settings.KeepDropletOnFailure,
            RemoteSteps = [.. template.Provisioners.Select(p => Step(template, p.Place, p.Provisioner))],
        };
        image.Droplet.Token = api.Token;
        image.Droplet.ApiUrl = api.BaseUrl;
        image.Droplet.LeaveUnsetToApi = true; // as Packer creates its droplet: what the template leaves out, DigitalOcean decides
        image.Snapshot.KeepSnapshotOnFailure = settings.KeepSnapshotOnFailure;
        BuilderFields.Apply(builder, image);
        return image;
    }

    private RemoteStep Step(PackerTemplate template, string place, object provisioner)
    {
        var (title, timing, run) = provisioner switch
        {
            ShellProvisioner shell => ($"{place} shell: {shell.Title}", shell.Timing,
                (Func<IRemoteSession, CancellationToken, Task<string?>>)new ShellRun(shell, template.Builder.Name, template.Expressions, log).RunAsync),
            FileProvisioner file => ($"{place} file: {file.Title}", file.Timing, new FileRun(file, files, log).RunAsync),
            _ => throw new InvalidOperationException($"Unknown provisioner {provisioner.GetType().Name}."),
        };
        return new RemoteStep(title, async (session, cancellationToken) =>
        {
            if (timing.PauseBefore > TimeSpan.Zero)
            {
                log.Info($"[{session.Label}] pausing {timing.PauseBefore} before {place} (pause_before)");
                await Task.Delay(timing.PauseBefore, cancellationToken).ConfigureAwait(false);
            }

            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    var field = $"{place}.timeout in {template.Path}";
                    return await RunWithinAsync(run, session, timing.Timeout, field, $"{title} on {session.Label}", cancellationToken).ConfigureAwait(false);
                }
                catch (DoMarketplaceException e) when (attempt < timing.MaxRetries && e is not Diagnostics.DoSettingsException)
                {
                    log.Warn(
                        $"[{session.Label}] {place} failed (attempt {attempt + 1} of {timing.MaxRetries + 1}, max_retries): "
                        + $"{Diagnostics.SecretRedactor.Redact(e.Message)}");
                }
            }
        });
    }

    /// <summary>
    /// One attempt of a provisioner within its <c>timeout</c>, as Packer bounds each: past it, the running command is
    /// stopped (its token is cancelled) and the attempt fails with a <see cref="WaitTimeoutException"/> naming the field.
    /// </summary>
    internal static async Task<string?> RunWithinAsync(
        Func<IRemoteSession, CancellationToken, Task<string?>> run,
        IRemoteSession session,
        TimeSpan? timeout,
        string field,
        string awaited,
        CancellationToken cancellationToken)
    {
        if (timeout is not { } limit || limit <= TimeSpan.Zero)
        {
            return await run(session, cancellationToken).ConfigureAwait(false);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        try
        {
            return await run(session, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                                  && e is OperationCanceledException or DoMarketplaceException)
        {
            throw new WaitTimeoutException(awaited, limit, "still running (its output is in the log above)", field, e);
        }
    }
}
