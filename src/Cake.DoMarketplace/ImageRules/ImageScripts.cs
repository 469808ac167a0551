namespace Cake.DoMarketplace.ImageRules;

/// <summary>The bash scripts shipped inside the addin (embedded resources under ImageRules/Scripts).</summary>
internal static class ImageScripts
{
    public static string Cleanup => Read("cleanup.sh");

    /// <summary>The helpers every fact script uses (<c>emit</c>, …), sent before it: see <see cref="FactScript.Source"/>.</summary>
    public static string FactHelpers => Read("fact-helpers.sh");

    public static string Read(string name)
    {
        var assembly = typeof(ImageScripts).Assembly;
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith("." + name, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
