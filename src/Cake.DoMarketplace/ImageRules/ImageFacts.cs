using System.Globalization;

namespace Cake.DoMarketplace.ImageRules;

/// <summary>The facts the collector script printed, one tab-separated record per line.</summary>
internal sealed class ImageFacts
{
    private readonly List<string[]> records;

    private ImageFacts(List<string[]> records) => this.records = records;

    public static ImageFacts Parse(string output) =>
        new(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split('\t')).ToList());

    public IEnumerable<string[]> All(string kind) => records.Where(r => r[0] == kind);

    public string[]? One(string kind) => All(kind).FirstOrDefault();

    public string Field(string kind, int index) => One(kind) is { } r && r.Length > index ? r[index] : string.Empty;

    public static long Number(string[] record, int index) =>
        record.Length > index && long.TryParse(record[index], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    public string OsName => Field("os", 1);

    public string OsVersion => Field("os", 2);
}
