namespace Cake.DoMarketplace.ImageRules;

/// <summary>The records a fact script printed, parsed by <see cref="FactScript.Parse"/> into their named types.</summary>
internal sealed class ImageFacts(IReadOnlyList<object> records)
{
    /// <summary>Every record of a kind, in the order the script printed them.</summary>
    public IEnumerable<T> All<T>() => records.OfType<T>();

    /// <summary>
    /// The first record of a kind, or, when the script printed none, one with every field empty (0 for numbers): a
    /// missing record reads as "nothing found".
    /// </summary>
    public T One<T>()
        where T : class => All<T>().FirstOrDefault() ?? FactScript.Empty<T>();
}
