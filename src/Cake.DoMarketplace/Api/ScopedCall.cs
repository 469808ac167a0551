namespace Cake.DoMarketplace.Api;

/// <summary>One call's scope.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Template">The path, a segment in braces standing for any one segment.</param>
/// <param name="Scope">The scope DigitalOcean requires for it.</param>
/// <param name="Also">What else the call may need, as a sentence; null when nothing.</param>
internal sealed record ScopedCall(string Method, string Template, string Scope, string? Also = null)
{
    public bool Matches(string method, string path)
    {
        if (!string.Equals(method, Method, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var wanted = Template.Split('/');
        var actual = path.Split('?')[0].Trim('/').Split('/');
        return wanted.Length == actual.Length
               && wanted.Zip(actual).All(p => p.First.StartsWith('{') || string.Equals(p.First, p.Second, StringComparison.Ordinal));
    }
}
