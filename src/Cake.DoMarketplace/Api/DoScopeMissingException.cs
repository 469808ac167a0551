using System.Net;

namespace Cake.DoMarketplace.Api;

/// <summary>
/// The DigitalOcean API answered 403 forbidden to a token with custom scopes that lacks the scope a call needs. Names
/// the missing scope(s), the request, and what to do: a token with the scopes a build needs (the README's list) or a
/// full-access token. Never contains the token.
/// </summary>
public sealed class DoScopeMissingException : DoApiException
{
    /// <summary>Creates the exception for one refused request.</summary>
    /// <param name="method">The HTTP method of the request.</param>
    /// <param name="path">The path (and query) of the request, relative to the API address.</param>
    /// <param name="scope">The scope the request needs.</param>
    /// <param name="errorId">The API's error id (<c>forbidden</c>).</param>
    /// <param name="apiMessage">The API's message.</param>
    /// <param name="requestId">The request id, to quote to DigitalOcean support.</param>
    public DoScopeMissingException(HttpMethod method, string path, string scope, string? errorId, string? apiMessage, string? requestId)
        : this(method, path, [scope], Describe(method, path, scope, requestId), errorId, apiMessage, requestId)
    {
    }

    private DoScopeMissingException(HttpMethod method, string path, IReadOnlyList<string> scopes, string message, string? errorId, string? apiMessage,
        string? requestId)
        : base(message, method, path, HttpStatusCode.Forbidden, errorId, apiMessage, requestId)
    {
        MissingScopes = scopes;
    }

    /// <summary>The scope the refused request needs (the first, when a pre-flight found several missing).</summary>
    public string MissingScope => MissingScopes[0];

    /// <summary>Every scope found missing: one for a refused request, all of them for a pre-flight.</summary>
    public IReadOnlyList<string> MissingScopes { get; }

    /// <summary>
    /// The pre-flight's error: every read scope the build needs and the token lacks, found before anything was created,
    /// each with the read-only request refused for it (a probe, or one of the build's own reads such as <c>GET v2/sizes</c>).
    /// </summary>
    internal static DoScopeMissingException ForPreflight(IReadOnlyList<(string Scope, string Request)> refused)
    {
        var scopes = refused.Select(r => r.Scope).ToList();
        var requests = refused.Select(r => r.Request.TrimStart('/')).ToList();
        var which = scopes.Count == 1
            ? $"the scope {scopes[0]}: the read-only request GET {requests[0]} answered"
            : $"the scopes {string.Join(", ", scopes)}: the read-only requests {string.Join(", ", requests.Select(p => "GET " + p))} answered";
        return new DoScopeMissingException(
            HttpMethod.Get,
            requests[0],
            scopes,
            $"The DigitalOcean token lacks {which} 403 forbidden. Nothing has been created. {Remedy(string.Join(", ", scopes))}",
            "forbidden",
            null,
            null);
    }

    /// <summary>The pre-flight's error for scopes found missing by their probes (<see cref="DoApiScopes.ReadProbes"/>).</summary>
    internal static DoScopeMissingException ForPreflight(IReadOnlyList<string> scopes) =>
        ForPreflight(scopes.Select(s => (s, DoApiScopes.ProbeFor(s))).ToList());

    private static string Describe(HttpMethod method, string path, string scope, string? requestId)
    {
        var also = DoApiScopes.Find(method.Method, path)?.Also is { } sentence ? " " + sentence : string.Empty;
        var id = string.IsNullOrWhiteSpace(requestId) ? string.Empty : $", request id {requestId}";
        return $"The DigitalOcean token lacks the scope {scope} ({method.Method} {path.TrimStart('/')} answered 403 forbidden{id}).{also} {Remedy(scope)}";
    }

    private static string Remedy(string scopes) =>
        $"Create a token with custom scopes including {scopes} and the others a build needs (see the README list: {DoApiScopes.BuildList}), or a full-access "
            + "token.";
}
