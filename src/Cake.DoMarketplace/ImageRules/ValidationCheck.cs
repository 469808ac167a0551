namespace Cake.DoMarketplace.ImageRules;

/// <summary>One check's outcome.</summary>
/// <param name="Id">The check number, 1 to 18 as in DigitalOcean's script (19 and up are ours).</param>
/// <param name="Name">What is checked.</param>
/// <param name="Level">The outcome.</param>
/// <param name="Message">A sentence saying what was found.</param>
/// <param name="Evidence">The files, users or packages behind the outcome.</param>
public sealed record ValidationCheck(int Id, string Name, CheckLevel Level, string Message, IReadOnlyList<string> Evidence);
