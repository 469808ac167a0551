namespace Cake.DoMarketplace.ImageRules;

/// <summary>
/// The records a fact script printed, parsed by <see cref="FactScript.Parse"/> into their named types. A record asked
/// for and not printed is an error showing what came back (<see cref="FactRecordsException"/>), never an empty record:
/// the absence of a record is not the absence of the thing it describes.
/// </summary>
internal sealed class ImageFacts(IReadOnlyList<object> records, FactOutput source)
{
    /// <summary>Every record of a kind, in the order the script printed them (none is a real answer: the output was read whole).</summary>
    public IEnumerable<T> All<T>() => records.OfType<T>();

    /// <summary>The first record of a kind; when the script printed none, a <see cref="FactRecordsException"/>.</summary>
    public T One<T>()
        where T : class => All<T>().FirstOrDefault() ?? throw Missing($"no '{FactScript.KindOf(typeof(T))}' record");

    /// <summary>
    /// The first record of a kind that <paramref name="matches"/>; when there is none, a <see cref="FactRecordsException"/>
    /// saying which was looked for.
    /// </summary>
    public T One<T>(Func<T, bool> matches, string which)
        where T : class => All<T>().FirstOrDefault(matches) ?? throw Missing($"no '{FactScript.KindOf(typeof(T))}' record {which}");

    /// <summary>The error for facts that should be there and are not: <paramref name="what"/> says which.</summary>
    public FactRecordsException Missing(string what) => source.Error($"printed {what}");
}
