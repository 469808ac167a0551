using System.Text;

namespace Cake.DoMarketplace.Packer;

/// <summary>
/// The template's one <c>digitalocean</c> builder, read and checked: what the addin can honour is kept, what it cannot (a
/// user other than root, another communicator) is refused. The droplet's options are kept as Packer sends them:
/// <c>droplet_agent</c> only when the template sets it (<see cref="DropletAgent"/> null otherwise, so DigitalOcean
/// installs its agent as it does for Packer), <c>monitoring</c>, <c>ipv6</c> and <c>private_networking</c> always,
/// false when unset.
/// </summary>
internal sealed record DigitalOceanBuilder(
    string Name,
    string? Token,
    Uri? ApiUrl,
    string Image,
    string Region,
    string Size,
    string? DropletName,
    string? SnapshotName,
    IReadOnlyList<string> SnapshotRegions,
    IReadOnlyList<string> Tags,
    string? UserData,
    string? VpcUuid,
    TimeSpan? StateTimeout,
    TimeSpan? SnapshotTimeout,
    TimeSpan? SshTimeout,
    bool? DropletAgent,
    bool Monitoring,
    bool Ipv6,
    bool PrivateNetworking)
{
    public const string Type = "digitalocean";

    private static readonly string[] Fields =
    [
        "type", "name", "api_token", "api_url", "image", "region", "size", "ssh_username", "communicator", "snapshot_name",
        "snapshot_regions", "tags", "user_data", "user_data_file", "droplet_agent", "droplet_name", "state_timeout",
        "snapshot_timeout", "ssh_timeout", "monitoring", "ipv6", "private_networking", "vpc_uuid",
    ];

    public static DigitalOceanBuilder Read(TemplateObject builder, TemplateFiles localFiles)
    {
        var error = builder.Error;
        var type = builder.Raw("type");
        if (type != Type)
        {
            throw type is null
                ? error.At(builder.Field("type"), $"is missing; the addin builds the '{Type}' builder")
                : error.Unsupported(builder.Field("type"), type, [Type]);
        }

        builder.RefuseUnknown(Fields);
        if (builder.String("ssh_username") is { } user && user != "root")
        {
            throw error.At(builder.Field("ssh_username"),
                $"is '{user}': the addin provisions DigitalOcean's images as root, as they come; set it to \"root\" or remove it");
        }

        if (builder.String("communicator") is { } communicator && communicator != "ssh")
        {
            throw error.Unsupported(builder.Field("communicator"), communicator, ["ssh"]);
        }

        if (builder.Has("user_data") && builder.Has("user_data_file"))
        {
            throw error.At(builder.Field("user_data_file"), "and user_data are both set; as in Packer, use only one");
        }

        string Required(string field) =>
            builder.String(field) is { Length: > 0 } value ? value
                : throw error.At(builder.Field(field), "is required (as in Packer), for example \"nyc3\", \"s-1vcpu-1gb\" or \"debian-12-x64\"");

        var userData = builder.String("user_data");
        if (builder.String("user_data_file") is { } file)
        {
            var path = localFiles.FullPath(file);
            userData = localFiles.ReadText(path)
                ?? throw error.At(builder.Field("user_data_file"), $"names '{path}', which does not exist");
        }

        Uri? apiUrl = null;
        if (builder.String("api_url") is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out apiUrl))
        {
            throw error.At(builder.Field("api_url"), $"'{url}' is not an absolute URL such as https://api.digitalocean.com");
        }

        return new DigitalOceanBuilder(
            builder.String("name") ?? Type,
            builder.String("api_token") is { Length: > 0 } token ? token : null,
            apiUrl,
            Required("image"),
            Required("region"),
            Required("size"),
            builder.String("droplet_name") is { Length: > 0 } dropletName ? dropletName : null,
            builder.String("snapshot_name") is { Length: > 0 } snapshotName ? snapshotName : null,
            builder.Strings("snapshot_regions"),
            builder.Strings("tags"),
            userData,
            builder.String("vpc_uuid") is { Length: > 0 } vpc ? vpc : null,
            builder.Duration("state_timeout"),
            builder.Duration("snapshot_timeout"),
            builder.Duration("ssh_timeout"),
            builder.Bool("droplet_agent"),
            builder.Bool("monitoring") ?? false,
            builder.Bool("ipv6") ?? false,
            builder.Bool("private_networking") ?? false);
    }
}
