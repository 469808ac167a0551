namespace Cake.DoMarketplace.Packer;

/// <summary>
/// The fields every Packer provisioner has: <c>pause_before</c>, <c>timeout</c> and <c>max_retries</c> (the
/// provisioner runs again, up to that many times, after a failure). <c>only</c>/<c>except</c> are read by
/// <see cref="PackerTemplateReader"/>.
/// </summary>
internal sealed record ProvisionerTiming(TimeSpan PauseBefore, TimeSpan? Timeout, int MaxRetries)
{
    public static readonly IReadOnlyList<string> Fields = ["type", "pause_before", "timeout", "max_retries", "only", "except"];

    public static ProvisionerTiming Read(TemplateObject provisioner)
    {
        var retries = provisioner.Raw("max_retries") is not { } text ? 0
            : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed
            : throw provisioner.Error.At(provisioner.Field("max_retries"), $"'{text}' must be a whole number of retries, such as 2");
        return new ProvisionerTiming(provisioner.Duration("pause_before") ?? TimeSpan.Zero, provisioner.Duration("timeout"), retries);
    }
}
