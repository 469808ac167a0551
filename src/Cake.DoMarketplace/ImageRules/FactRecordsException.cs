namespace Cake.DoMarketplace.ImageRules;

/// <summary>
/// A fact script's output cannot be read whole: a line that is none of its records, a malformed record, or a record it
/// prints on every run missing. The message shows what came back; no check is passed (or failed) on such output.
/// </summary>
/// <param name="script">The fact script, such as <c>collect-facts.sh</c>.</param>
/// <param name="machine">Where it ran.</param>
/// <param name="message">What was wrong and what came back.</param>
public sealed class FactRecordsException(string script, string machine, string message)
    : DoMarketplaceException(message)
{
    /// <summary>The fact script, such as <c>collect-facts.sh</c>.</summary>
    public string Script { get; } = script;

    /// <summary>Where it ran.</summary>
    public string Machine { get; } = machine;
}
