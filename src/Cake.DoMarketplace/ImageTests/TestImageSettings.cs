using Cake.DoMarketplace.Droplets;

namespace Cake.DoMarketplace.ImageTests;

/// <summary>Settings of <c>DoTestImage</c>: the droplet made from the image, and what a user would type.</summary>
public sealed class TestImageSettings : DoApiSettings
{
    /// <summary>Name of the test droplet; defaults to <c>image-test-&lt;image id&gt;</c>.</summary>
    public string? Name { get; set; }

    /// <summary>Region; defaults as for the build droplet (the image must be there).</summary>
    public string? Region { get; set; }

    /// <summary>Size; defaults to the cheapest that fits the image.</summary>
    public string? Size { get; set; }

    /// <summary>Lines typed at the first interactive login, for a first-login script that asks questions.</summary>
    public IList<string> FirstLoginInput { get; } = new List<string>();

    /// <summary>Reboot the droplet and check that first-boot scripts do not run again (default).</summary>
    public bool Reboot { get; set; } = true;

    /// <summary>The build droplet's SSH host key fingerprint (<c>SHA256:…</c>); the image's droplets must not reuse it.</summary>
    public string? BuildHostKeyFingerprint { get; set; }

    /// <summary>Where to write the report as Markdown, JSON and JUnit XML; null for none.</summary>
    public string? ReportDirectory { get; set; } = "artifacts/image-test";

    /// <summary>Fail the build when a check fails (default).</summary>
    public bool FailOnError { get; set; } = true;

    /// <summary>How long the first boot (cloud-init) may take.</summary>
    public TimeSpan BootTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long one interactive login may take.</summary>
    public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
