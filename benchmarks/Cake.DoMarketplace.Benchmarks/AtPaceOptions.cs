using System.Globalization;

/// <summary>
/// The --at-pace command line: --pace-factor F (0.1), --rounds N (1), --at-once N (8), --tight-limits B,C (20,60), --cases
/// abc (which of (a) one build, (b) 3 variants, (c) builds at once), --no-harder (no rows with tight limits).
/// </summary>
internal sealed record AtPaceOptions(double Factor, int Rounds, int AtOnce, int ThreeVariantsPerMinute, int AtOncePerMinute, string Cases, bool Harder)
{
    public static AtPaceOptions Parse(IReadOnlyList<string> args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var tight = (Value("--tight-limits") ?? "20,60").Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToList();
        return new AtPaceOptions(
            double.Parse(Value("--pace-factor") ?? "0.1", CultureInfo.InvariantCulture),
            int.Parse(Value("--rounds") ?? "1", CultureInfo.InvariantCulture),
            int.Parse(Value("--at-once") ?? "8", CultureInfo.InvariantCulture),
            tight[0],
            tight[^1],
            Value("--cases") ?? "abc",
            !args.Contains("--no-harder"));
    }

    public bool Runs(char @case) => Cases.Contains(@case, StringComparison.Ordinal);

    /// <summary>The cases run, in words, for the section's heading.</summary>
    public string Describe()
    {
        var cases = new[] { ('a', "one build"), ('b', "3 variants"), ('c', "builds at once") }.Where(c => Runs(c.Item1)).Select(c => c.Item2);
        return string.Join(", ", cases);
    }
}
