using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.ImageRules;

/// <summary>Reads the facts on the droplet and evaluates the checks.</summary>
/// <param name="session">The droplet.</param>
/// <param name="log">Where the checks are written.</param>
/// <param name="reuseBuildIndex">
/// True in a build: the security-update check uses the apt index this build's package steps refreshed, when it is still
/// fresh (<see cref="Packages.AptIndex"/>). False (alone, as <c>DoValidateImage</c>): the index is refreshed. A refresh
/// waits while another process holds the package manager's locks (<see cref="ValidationSettings.PackageLockTimeout"/>).
/// </param>
internal sealed class ImageValidator(IRemoteSession session, ICakeLog log, bool reuseBuildIndex = false)
{
    public const string PackageLockTimeoutSetting = nameof(ValidationSettings) + "." + nameof(ValidationSettings.PackageLockTimeout);

    public async Task<ValidationReport> ValidateAsync(ValidationSettings settings, CancellationToken cancellationToken) =>
        await ValidateAsync(settings, null, cancellationToken).ConfigureAwait(false);

    /// <param name="settings">The settings.</param>
    /// <param name="reportDirectory">Where the reports go, or null for none.</param>
    /// <param name="cancellationToken">Stops the check.</param>
    public async Task<ValidationReport> ValidateAsync(ValidationSettings settings, ReportFolder? reportDirectory, CancellationToken cancellationToken)
    {
        SettingsRules.Positive(settings.Timeout, $"{nameof(ValidationSettings)}.{nameof(settings.Timeout)}");
        SettingsRules.Positive(settings.PackageLockTimeout, PackageLockTimeoutSetting);
        var releases = SupportedReleases.Default.With(settings.ExtraSupportedReleases);
        log.Detail($"[{session.Label}] validating the image ({ImageChecks.Description})");
        var refresh = !settings.RefreshPackageIndex ? "0" : reuseBuildIndex ? "reuse" : "1";
        var locks = new Packages.PackageLockBudget(session, log, settings.PackageLockTimeout, PackageLockTimeoutSetting);
        if (settings.RefreshPackageIndex)
        {
            await locks.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var result = await locks.RunAsync(
            ValidationFacts.Script.Source,
            new Dictionary<string, string> { ["REFRESH"] = refresh, ["APT_INDEX_IS_FRESH"] = Packages.AptIndex.IsFresh },
            new RemoteCommandSettings
            {
                LogOutput = false,
                Timeout = settings.Timeout,
                TimeoutSetting = $"{nameof(ValidationSettings)}.{nameof(settings.Timeout)}",
                Description = ValidationFacts.Script.FileName,
            },
            cancellationToken).ConfigureAwait(false);
        var facts = ValidationFacts.Script.Parse(result.StandardOutput, session.Label, result.StandardError);
        var os = facts.One<OsFact>();
        var report = new ValidationReport(session.Label, $"{os.Name} {os.VersionId}".Trim(), DateTimeOffset.UtcNow, ImageChecks.Evaluate(facts, releases));
        foreach (var check in report.Checks)
        {
            var line = $"[{session.Label}] {check.Level.ToString().ToUpperInvariant(),-4} {check.Id,2}. {check.Name}: {check.Message}";
            switch (check.Level)
            {
                case CheckLevel.Fail: log.Fail(line); break;
                case CheckLevel.Warn: log.Warn(line); break;
                default: log.Detail(line); break; // the summary counts them; the reports list them
            }
        }

        var written = reportDirectory is null ? [] : ValidationReportWriter.WriteAll(report, reportDirectory, $"{Safe(session.Label)}-validation");
        log.Info($"[{session.Label}] validation: {report.Summary}{(written.Count > 0 ? "; report: " + string.Join(", ", written) : string.Empty)}");

        if ((report.HasFailures && settings.FailOnError) || (report.Count(CheckLevel.Warn) > 0 && settings.FailOnWarning))
        {
            throw new ImageValidationException(report);
        }

        return report;
    }

    internal static string Safe(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
