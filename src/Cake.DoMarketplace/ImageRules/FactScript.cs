using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;

namespace Cake.DoMarketplace.ImageRules;

/// <summary>The word a fact script prints first on each line of this record (<c>user</c>, <c>script</c>, …).</summary>
/// <param name="kind">The kind word.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class FactKindAttribute(string kind) : Attribute
{
    public string Kind { get; } = kind;
}

/// <summary>
/// A fact script (embedded under ImageRules/Scripts) and the records it prints: one a line, fields separated by tabs, the
/// kind first, then the fields in the order of the record's primary constructor — the order its header lists them in
/// (<c># user &lt;name&gt; &lt;uid&gt; …</c>; FactScriptTests holds the two together). The only place that knows where a
/// field stands: a missing field reads as empty (0 for a number), extra fields and unknown kinds are ignored.
/// </summary>
internal sealed class FactScript
{
    private static readonly ConcurrentDictionary<Type, Func<string[], object>> Readers = new();

    private readonly Dictionary<string, Type> kinds;

    /// <param name="fileName">The script's file name under ImageRules/Scripts.</param>
    /// <param name="records">Its record types, each with a <see cref="FactKindAttribute"/>, in the order its header lists them.</param>
    public FactScript(string fileName, params Type[] records)
    {
        FileName = fileName;
        Records = records;
        kinds = records.ToDictionary(KindOf, StringComparer.Ordinal);
    }

    public string FileName { get; }

    public IReadOnlyList<Type> Records { get; }

    /// <summary>What is run: the shared helpers (<c>fact-helpers.sh</c>), then the script.</summary>
    public string Source => ImageScripts.FactHelpers + "\n" + ImageScripts.Read(FileName);

    public ImageFacts Parse(string output) =>
        new(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.TrimEnd('\r').Split('\t'))
            .Where(fields => kinds.ContainsKey(fields[0]))
            .Select(fields => ReaderOf(kinds[fields[0]])(fields))
            .ToList());

    /// <summary>The kind word of a record type.</summary>
    public static string KindOf(Type record) =>
        record.GetCustomAttribute<FactKindAttribute>()?.Kind ?? throw new ArgumentException($"{record.Name} has no [FactKind]", nameof(record));

    /// <summary>The fields of a record type, in the order the script prints them.</summary>
    public static IReadOnlyList<string> FieldsOf(Type record) => Constructor(record).GetParameters().Select(p => p.Name!).ToList();

    /// <summary>A record with every field empty (0 for numbers).</summary>
    public static T Empty<T>()
        where T : class => (T)ReaderOf(typeof(T))([KindOf(typeof(T))]);

    private static Func<string[], object> ReaderOf(Type record) => Readers.GetOrAdd(record, type =>
    {
        var constructor = Constructor(type);
        var parameters = constructor.GetParameters();
        return fields => constructor.Invoke(parameters.Select((p, i) => Convert(p.ParameterType, i + 1 < fields.Length ? fields[i + 1] : string.Empty)).ToArray());
    });

    private static ConstructorInfo Constructor(Type record) =>
        record.GetConstructors() is [var only] ? only : throw new ArgumentException($"{record.Name} must have exactly one public constructor", nameof(record));

    private static object Convert(Type type, string field) =>
        type == typeof(string) ? field
        : type == typeof(long) ? (long.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0L)
        : throw new ArgumentException($"fact fields are string or long, not {type.Name}", nameof(type));
}
