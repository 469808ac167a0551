namespace Cake.DoMarketplace;

/// <summary>The categories the aliases are listed under in Cake's documentation.</summary>
internal static class AliasCategories
{
    /// <summary>The addin as a whole (the class).</summary>
    public const string Addin = "DigitalOcean Marketplace";

    /// <summary>First-boot, first-login and MOTD aliases.</summary>
    public const string FirstBoot = "First boot";

    /// <summary>The Droplets aliases.</summary>
    public const string Droplets = "Droplets";

    /// <summary>The Image aliases.</summary>
    public const string Image = "Image";

    /// <summary>The local cloud aliases.</summary>
    public const string LocalCloud = "Local cloud";

    /// <summary>The Marketplace aliases.</summary>
    public const string Marketplace = "Marketplace";

    /// <summary>The Packages aliases.</summary>
    public const string Packages = "Packages";

    /// <summary>The Pipeline aliases.</summary>
    public const string Pipeline = "Pipeline";

    /// <summary>The Remote aliases.</summary>
    public const string Remote = "Remote";

    /// <summary>The Snapshots aliases.</summary>
    public const string Snapshots = "Snapshots";
}
