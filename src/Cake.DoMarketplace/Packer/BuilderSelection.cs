using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Packer;

/// <summary>
/// Which builders of a template build: all of them, or those <see cref="PackerTemplateSettings.Only"/> names, or all but those
/// <see cref="PackerTemplateSettings.Except"/> names, as Packer's <c>-only</c> and <c>-except</c>. Unlike Packer, a name that matches
/// no builder is refused (Packer 1.6 builds nothing for <c>-only=typo</c> and ends with success), listing the template's
/// builders, and so are both set at once (Packer 1.6 then follows <c>-only</c>).
/// </summary>
internal static class BuilderSelection
{
    private const string OnlySetting = nameof(PackerTemplateSettings) + "." + nameof(PackerTemplateSettings.Only);
    private const string ExceptSetting = nameof(PackerTemplateSettings) + "." + nameof(PackerTemplateSettings.Except);

    /// <summary>The indexes of the builders to build, in the template's order.</summary>
    public static IReadOnlyList<int> Select(string template, IReadOnlyList<string> names, IReadOnlyCollection<string> only,
        IReadOnlyCollection<string> except)
    {
        if (only.Count > 0 && except.Count > 0)
        {
            throw new DoSettingsException(OnlySetting,
                $"{OnlySetting} and {ExceptSetting} are both set: use one of them ({OnlySetting} for the builders to build, "
                + $"{ExceptSetting} for those to leave out).");
        }

        var listed = only.Count > 0 ? (OnlySetting, only) : (ExceptSetting, except);
        foreach (var name in listed.Item2.Where(n => !names.Contains(n, StringComparer.Ordinal)))
        {
            throw new DoSettingsException(listed.Item1,
                $"{listed.Item1} names '{name}', which is not a builder of {template}; its builders: {string.Join(", ", names)}.");
        }

        var selected = Enumerable.Range(0, names.Count)
            .Where(i => only.Count == 0 ? !except.Contains(names[i], StringComparer.Ordinal) : only.Contains(names[i], StringComparer.Ordinal))
            .ToList();
        return selected.Count > 0 ? selected
            : throw new DoSettingsException(ExceptSetting,
                $"{ExceptSetting} leaves no builder of {template} to build (its builders: {string.Join(", ", names)}); remove one from {ExceptSetting}.");
    }
}
