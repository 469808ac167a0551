namespace Cake.DoMarketplace.ImageRules;

/// <summary>One thing that would go wrong (or right) on a customer's first boot or login.</summary>
/// <param name="Subject">The file concerned.</param>
/// <param name="Level"><see cref="CheckLevel.Warn"/> for a problem, <see cref="CheckLevel.Pass"/> when it is fine.</param>
/// <param name="Message">What will happen, and the fix.</param>
public sealed record ReadinessFinding(string Subject, CheckLevel Level, string Message);
