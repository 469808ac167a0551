using System.Globalization;

namespace Cake.DoMarketplace.Packer;

/// <summary>
/// What Packer's template functions answer for one build: <c>{{timestamp}}</c> and <c>{{isotime}}</c> give the same
/// instant everywhere in the template, as in Packer.
/// </summary>
/// <param name="Started">When the build started (UTC).</param>
/// <param name="TemplateDirectory">The template's folder (<c>{{template_dir}}</c>).</param>
/// <param name="WorkingDirectory">Where relative paths start (<c>{{pwd}}</c>).</param>
/// <param name="BuildName">The builder's <c>name</c>, else its type (<c>{{build_name}}</c>); null in the variables, which all
/// builders share: there, as in Packer, <c>{{build_name}}</c> and <c>{{build_type}}</c> are refused.</param>
/// <param name="Environment">Environment variables, for <c>{{env}}</c> in variable defaults.</param>
internal sealed record TemplateFunctions(
    DateTime Started,
    string TemplateDirectory,
    string WorkingDirectory,
    string? BuildName,
    Func<string, string?> Environment)
{
    /// <summary>The functions and fields the addin evaluates.</summary>
    public static readonly IReadOnlyList<string> Supported =
        ["user", "env", "timestamp", "isotime", "uuid", "template_dir", "pwd", "build_name", "build_type"];

    public string Timestamp => new DateTimeOffset(Started, TimeSpan.Zero).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    public string IsoTime(string? layout) => GoTimeLayout.Format(Started, layout ?? GoTimeLayout.Rfc3339);
}
