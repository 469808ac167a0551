using System.Text.RegularExpressions;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.ImageRules;

namespace Cake.DoMarketplace.Droplets;

/// <summary>Tells from the API's image record which distribution and release a droplet would run.</summary>
internal static partial class SupportedImages
{
    [GeneratedRegex("^(?<family>ubuntu|debian|centos-stream|centos|rockylinux|almalinux|cloudlinux|fedora|[a-z]+)-(?<version>[0-9]+(?:-[0-9]+)?)-x64$")]
    private static partial Regex Slug();

    /// <summary>Null when the image is supported; otherwise why not.</summary>
    public static string? WhyUnsupported(DoImage image, SupportedReleases releases)
    {
        if (image.Slug is { } slug && Slug().Match(slug) is { Success: true } match)
        {
            var name = match.Groups["family"].Value switch
            {
                "ubuntu" => "Ubuntu",
                "debian" => "Debian",
                "centos-stream" => "CentOS Stream",
                "centos" => "CentOS Linux",
                "rockylinux" => "Rocky Linux",
                "almalinux" => "AlmaLinux",
                "cloudlinux" => "CloudLinux",
                var other => other,
            };
            var version = match.Groups["version"].Value.Replace('-', '.');
            return releases.IsSupported(name, version)
                ? null
                : $"image '{slug}' is {name} {version}, which the Marketplace does not accept (supported: {releases.Describe()})";
        }

        // Snapshots and custom images carry only the distribution; the release is checked by DoValidateImage.
        var distribution = image.Distribution ?? "unknown";
        return releases.IsSupportedFamily(distribution)
            ? null
            : $"image {image.Id} '{image.Name}' runs {distribution}, which the Marketplace does not accept (supported: {releases.Describe()})";
    }
}
