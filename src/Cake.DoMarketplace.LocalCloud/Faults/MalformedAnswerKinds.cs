namespace Cake.DoMarketplace.LocalCloud.Faults;

/// <summary>The malformed or hostile answers <see cref="FaultOptions.MalformedAnswers"/> can name.</summary>
public static class MalformedAnswerKinds
{
    /// <summary>A success whose JSON body is cut in half (its length says that is all).</summary>
    public const string TruncatedJson = "truncated-json";

    /// <summary>A proxy's HTML error page: 502, <c>text/html</c>.</summary>
    public const string HtmlError = "html-error";

    /// <summary>A success whose JSON body is served as <c>text/plain</c>.</summary>
    public const string WrongContentType = "wrong-content-type";

    /// <summary>A success whose main object(s) lack <c>id</c>, <c>status</c> and <c>slug</c>.</summary>
    public const string MissingFields = "missing-fields";

    /// <summary>A list page whose <c>links.pages.next</c> points to <c>https://evil.example.net</c>.</summary>
    public const string ForeignNextLink = "foreign-next-link";

    /// <summary>A success whose JSON body is padded to 64 MiB, streamed without a length.</summary>
    public const string HugeBody = "huge-body";

    /// <summary>Every kind, in the order of the docs.</summary>
    public static IReadOnlyList<string> All { get; } = [TruncatedJson, HtmlError, WrongContentType, MissingFields, ForeignNextLink, HugeBody];
}
