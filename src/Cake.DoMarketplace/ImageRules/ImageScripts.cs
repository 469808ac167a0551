namespace Cake.DoMarketplace.ImageRules;

/// <summary>The bash scripts shipped inside the addin (embedded resources under ImageRules/Scripts).</summary>
internal static class ImageScripts
{
    public static string Cleanup => Read("cleanup.sh");

    public static string CollectFacts => Read("collect-facts.sh");

    public static string FirstBootFacts => Read("first-boot-facts.sh");

    public static string ImageTestFacts => Read("image-test-facts.sh");

    public static string AppState => Read("app-state.sh");

    private static string Read(string name)
    {
        var assembly = typeof(ImageScripts).Assembly;
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith("." + name, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
