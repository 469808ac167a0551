using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.ImageRules;

/// <summary>The word a fact script prints first on each line of this record (<c>user</c>, <c>script</c>, …).</summary>
/// <param name="kind">The kind word.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class FactKindAttribute(string kind) : Attribute
{
    public string Kind { get; } = kind;

    /// <summary>The script prints this record on every run: output without it is not the script's whole output.</summary>
    public bool Always { get; init; }
}

/// <summary>
/// A fact script (embedded under ImageRules/Scripts) and the records it prints: one a line, fields separated by tabs, the
/// kind first, then the fields in the order of the record's primary constructor — the order its header lists them in
/// (<c># user &lt;name&gt; &lt;uid&gt; …</c>; FactScriptTests holds the two together). The only place that knows where a
/// field stands. Output it cannot read whole is an error that shows what came back, never "nothing found": a line that
/// is not one of its records, a record with too few or too many fields or a number that is not one, a record the
/// script prints on every run (<see cref="FactKindAttribute.Always"/>) missing.
/// </summary>
internal sealed class FactScript
{
    private static readonly ConcurrentDictionary<Type, Func<string[], object?[]>> Readers = new();

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

    /// <summary>Runs the script on the droplet (output kept out of the log) and reads its records.</summary>
    public async Task<ImageFacts> RunAsync(
        IRemoteSession session, IReadOnlyDictionary<string, string>? variables, TimeSpan? timeout, string? timeoutSetting, CancellationToken cancellationToken)
    {
        var settings = new RemoteCommandSettings { LogOutput = false, Timeout = timeout, TimeoutSetting = timeoutSetting, Description = FileName };
        var result = await session.RunBashAsync(Source, variables, settings, cancellationToken).ConfigureAwait(false);
        return Parse(result.StandardOutput, session.Label, result.StandardError);
    }

    /// <summary>Reads every line of <paramref name="output"/> as a record; anything else fails with <see cref="FactRecordsException"/>.</summary>
    /// <param name="output">What the script printed on standard output.</param>
    /// <param name="machine">Where it ran, for the error.</param>
    /// <param name="standardError">What it printed on standard error, for the error.</param>
    public ImageFacts Parse(string output, string machine = "the droplet", string standardError = "")
    {
        var source = new FactOutput(FileName, machine, output, standardError);
        var records = new List<object>();
        var lines = output.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index].TrimEnd('\r');
            if (line.Length > 0)
            {
                records.Add(Read(line, index + 1, source));
            }
        }

        var missing = Records.Where(t => t.GetCustomAttribute<FactKindAttribute>()!.Always && !records.Any(t.IsInstanceOfType)).Select(KindOf).ToList();
        if (missing.Count > 0)
        {
            throw source.Error($"printed no {string.Join(", ", missing.Select(k => $"'{k}'"))} record, which it prints on every run");
        }

        return new ImageFacts(records, source);
    }

    /// <summary>The kind word of a record type.</summary>
    public static string KindOf(Type record) =>
        record.GetCustomAttribute<FactKindAttribute>()?.Kind ?? throw new ArgumentException($"{record.Name} has no [FactKind]", nameof(record));

    /// <summary>The fields of a record type, in the order the script prints them.</summary>
    public static IReadOnlyList<string> FieldsOf(Type record) => Constructor(record).GetParameters().Select(p => p.Name!).ToList();

    private object Read(string line, int number, FactOutput source)
    {
        var fields = line.Split('\t');
        if (!kinds.TryGetValue(fields[0], out var type))
        {
            throw source.Error($"printed line {number}, which is none of its records ({string.Join(", ", kinds.Keys)}): '{FactOutput.Shorten(line)}'");
        }

        var names = FieldsOf(type);
        if (fields.Length - 1 != names.Count)
        {
            throw source.Error(
                $"printed line {number}, a '{fields[0]}' record with {fields.Length - 1} field(s) where it has {names.Count} ({string.Join(", ", names)}): " +
                $"'{FactOutput.Shorten(line)}'");
        }

        var values = Readers.GetOrAdd(type, ReaderOf)(fields);
        var bad = Array.IndexOf(values, null);
        if (bad >= 0)
        {
            throw source.Error(
                $"printed line {number}, a '{fields[0]}' record whose {names[bad]} '{fields[bad + 1]}' is not a whole number: '{FactOutput.Shorten(line)}'");
        }

        return Constructor(type).Invoke(values);
    }

    /// <summary>The constructor arguments from a record's fields; null where a number does not parse.</summary>
    private static Func<string[], object?[]> ReaderOf(Type type)
    {
        var parameters = Constructor(type).GetParameters();
        foreach (var parameter in parameters.Where(p => p.ParameterType != typeof(string) && p.ParameterType != typeof(long)))
        {
            throw new ArgumentException($"fact fields are string or long, not {parameter.ParameterType.Name} ({type.Name}.{parameter.Name})", nameof(type));
        }

        return fields => parameters.Select((p, i) => Convert(p.ParameterType, fields[i + 1])).ToArray();
    }

    private static ConstructorInfo Constructor(Type record) =>
        record.GetConstructors() is [var only] ? only : throw new ArgumentException($"{record.Name} must have exactly one public constructor", nameof(record));

    private static object? Convert(Type type, string field) =>
        type == typeof(string) ? field
        : long.TryParse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n
        : null;
}
