using System.Net;
using System.Text.RegularExpressions;
using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Marketplace;

/// <summary>Submits a new image for a Marketplace app, turning the Vendor API's refusals into what to do.</summary>
internal sealed partial class MarketplaceSubmitter(IDoApiClient api, ICakeLog log)
{
    private const string Prefix = nameof(MarketplaceUpdateSettings) + ".";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")]
    private static partial Regex AppIdPattern();

    public static void CheckLocally(MarketplaceUpdateSettings settings)
    {
        if (settings.AppId is null || !AppIdPattern().IsMatch(settings.AppId))
        {
            throw new DoSettingsException(Prefix + nameof(settings.AppId),
                $"{Prefix}AppId '{settings.AppId}' must be the app id from the Vendor Portal (letters, digits, '-' or '_'), as in …/vendor-portal/apps/<app "
                    + "id>.");
        }

        if (settings.ImageId <= 0)
        {
            throw new DoSettingsException(Prefix + nameof(settings.ImageId),
                $"{Prefix}ImageId must be the snapshot's image id from DoSnapshot (a positive number).");
        }
    }

    public async Task<MarketplaceUpdateResult> SubmitAsync(MarketplaceUpdateSettings settings, CancellationToken cancellationToken)
    {
        CheckLocally(settings);
        var body = new Dictionary<string, object?> { ["imageId"] = settings.ImageId };
        if (settings.ReasonForUpdate is not null)
        {
            body["reasonForUpdate"] = settings.ReasonForUpdate;
        }

        if (settings.OsVersion is not null)
        {
            body["osVersion"] = settings.OsVersion;
        }

        if (settings.SoftwareIncluded.Count > 0)
        {
            // Dictionaries keep the Vendor API's camelCase names (the v2 client's snake_case policy renames properties).
            body["softwareIncluded"] = settings.SoftwareIncluded
                .Select(s => new Dictionary<string, string> { ["name"] = s.Name, ["version"] = s.Version, ["releaseNotes"] = s.ReleaseNotes })
                .ToList();
        }

        log.Info($"Submitting image {settings.ImageId} for Marketplace app {settings.AppId}");
        try
        {
            var app = await api.UpdateMarketplaceAppAsync(settings.AppId!, body, cancellationToken).ConfigureAwait(false);
            var status = app.TryGetProperty("status", out var s) ? s.GetString() ?? "submitted" : "submitted";
            log.Info($"Marketplace app {settings.AppId}: image {settings.ImageId} submitted, status {status}");
            return new MarketplaceUpdateResult(settings.AppId!, status, settings.ImageId);
        }
        catch (DoApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new MarketplaceSubmissionException(
                settings.AppId!,
                $"The Vendor API knows no app '{settings.AppId}' for this token (404{(e.ApiMessage is null ? string.Empty : ": " + e.ApiMessage)}). Check "
                    + $"{Prefix}AppId against the Vendor Portal and that the token belongs to the vendor's team.", e);
        }
        catch (DoApiException e) when (e.StatusCode == HttpStatusCode.BadRequest)
        {
            throw new MarketplaceSubmissionException(
                settings.AppId!,
                $"The Vendor API refused the update of app '{settings.AppId}' (400: {e.ApiMessage}). An app that is pending or in review takes no update: "
                    + "wait for the review to end, then submit again.", e);
        }
    }
}
