using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.ImageRules;

/// <summary>Looks on the droplet at what a customer's first boot and first login will meet.</summary>
internal sealed class ReadinessChecker(IRemoteSession session, ICakeLog log)
{
    public async Task<ReadinessReport> CheckAsync(ReadinessSettings settings, CancellationToken cancellationToken)
    {
        var facts = await FirstBootFacts.Script.RunAsync(session, null, null, null, cancellationToken).ConfigureAwait(false);
        var report = new ReadinessReport(session.Label, ReadinessChecks.Evaluate(facts));
        foreach (var finding in report.Findings)
        {
            var line = $"[{session.Label}] first boot: {finding.Subject}: {finding.Message}";
            if (finding.Level == CheckLevel.Pass)
            {
                log.Detail(line); // the summary counts them
            }
            else
            {
                log.Warn(line);
            }
        }

        log.Info($"[{session.Label}] first-boot readiness: {report.Findings.Count} item(s), {report.Warnings.Count} warning(s)");
        if (settings.FailOnWarning && report.Warnings.Count > 0)
        {
            throw new ImageReadinessException(report);
        }

        return report;
    }
}
