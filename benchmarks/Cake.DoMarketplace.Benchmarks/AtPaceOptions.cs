using System.Globalization;

/// <summary>The --at-pace command line: --pace-factor F (0.1), --rounds N (1), --at-once N (8), --tight-limits B,C (20,60).</summary>
internal sealed record AtPaceOptions(double Factor, int Rounds, int AtOnce, int ThreeVariantsPerMinute, int AtOncePerMinute)
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
            tight[^1]);
    }
}
