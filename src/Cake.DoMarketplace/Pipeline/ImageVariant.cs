namespace Cake.DoMarketplace.Pipeline;

/// <summary>
/// One variant of a recipe for <c>DoBuildImages</c>: its name and what it changes in the recipe's build droplet (base
/// image, size, region). Whatever it leaves null stays as the recipe says.
/// </summary>
/// <param name="name">Names the variant in the log (<c>[lemp-debian-13] …</c>) and the step table, and its image: the
/// recipe's <c>Snapshot.Name</c> followed by <c>-name</c>, or the name alone when the recipe sets none.</param>
public sealed class ImageVariant(string name)
{
    /// <summary>The variant's name; see the constructor.</summary>
    public string Name { get; } = name;

    /// <summary>The build droplet's base image slug (<c>debian-13-x64</c>); null: the recipe's <c>Droplet.Image</c>.</summary>
    public string? Image { get; set; }

    /// <summary>The build droplet's size slug (<c>s-2vcpu-2gb</c>); null: the recipe's <c>Droplet.Size</c>.</summary>
    public string? Size { get; set; }

    /// <summary>The build droplet's region slug (<c>fra1</c>); null: the recipe's <c>Droplet.Region</c>.</summary>
    public string? Region { get; set; }
}
