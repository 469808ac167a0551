namespace Cake.DoMarketplace.Ssh;

/// <summary>POSIX shell quoting: any string, spaces, quotes and <c>$(…)</c> included, reaches the remote side unchanged.</summary>
internal static class ShellQuote
{
    /// <summary>Wraps <paramref name="value"/> in single quotes, escaping embedded single quotes.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains('\0'))
        {
            throw new ArgumentException("A shell argument cannot contain a NUL character.", nameof(value));
        }

        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
