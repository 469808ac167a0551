using System.Globalization;
using System.Text;

namespace Cake.DoMarketplace.Packer;

/// <summary>
/// Formats a UTC time with a Go reference layout (<c>"2006-01-02T15:04:05Z07:00"</c>), for Packer's <c>{{isotime}}</c>.
/// The usual elements are known; any other character is copied as it is.
/// </summary>
internal static class GoTimeLayout
{
    public const string Rfc3339 = "2006-01-02T15:04:05Z07:00";

    // Longest first, so "January" wins over "Jan" and "2006" over "2".
    private static readonly (string Token, Func<DateTime, string> Format)[] Elements =
    [
        ("January", t => t.ToString("MMMM", CultureInfo.InvariantCulture)),
        ("Monday", t => t.ToString("dddd", CultureInfo.InvariantCulture)),
        ("Z07:00", _ => "Z"),
        ("-07:00", _ => "+00:00"),
        ("-0700", _ => "+0000"),
        ("Z0700", _ => "Z"),
        ("2006", t => t.ToString("yyyy", CultureInfo.InvariantCulture)),
        (".000", t => t.ToString(".fff", CultureInfo.InvariantCulture)),
        ("Jan", t => t.ToString("MMM", CultureInfo.InvariantCulture)),
        ("Mon", t => t.ToString("ddd", CultureInfo.InvariantCulture)),
        ("MST", _ => "UTC"),
        ("01", t => t.ToString("MM", CultureInfo.InvariantCulture)),
        ("02", t => t.ToString("dd", CultureInfo.InvariantCulture)),
        ("03", t => t.ToString("hh", CultureInfo.InvariantCulture)),
        ("04", t => t.ToString("mm", CultureInfo.InvariantCulture)),
        ("05", t => t.ToString("ss", CultureInfo.InvariantCulture)),
        ("06", t => t.ToString("yy", CultureInfo.InvariantCulture)),
        ("15", t => t.ToString("HH", CultureInfo.InvariantCulture)),
        ("PM", t => t.ToString("tt", CultureInfo.InvariantCulture)),
        ("1", t => t.Month.ToString(CultureInfo.InvariantCulture)),
        ("2", t => t.Day.ToString(CultureInfo.InvariantCulture)),
        ("3", t => (t.Hour % 12 == 0 ? 12 : t.Hour % 12).ToString(CultureInfo.InvariantCulture)),
        ("4", t => t.Minute.ToString(CultureInfo.InvariantCulture)),
        ("5", t => t.Second.ToString(CultureInfo.InvariantCulture)),
    ];

    public static string Format(DateTime utc, string layout)
    {
        var text = new StringBuilder();
        var position = 0;
        while (position < layout.Length)
        {
            var element = Elements.FirstOrDefault(e => string.CompareOrdinal(layout, position, e.Token, 0, e.Token.Length) == 0);
            if (element.Token is null)
            {
                text.Append(layout[position++]);
                continue;
            }

            text.Append(element.Format(utc));
            position += element.Token.Length;
        }

        return text.ToString();
    }
}
