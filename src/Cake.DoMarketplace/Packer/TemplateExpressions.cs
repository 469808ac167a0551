using System.Text;

namespace Cake.DoMarketplace.Packer;

/// <summary>
/// Evaluates Packer's template expressions in one string: <c>{{user `name`}}</c>, <c>{{env `NAME`}}</c> (where the
/// caller allows it: Packer allows it only in variable defaults), <c>{{timestamp}}</c>, <c>{{isotime "2006-01-02"}}</c>,
/// <c>{{uuid}}</c>, <c>{{template_dir}}</c>, <c>{{pwd}}</c>, <c>{{build_name}}</c>, <c>{{build_type}}</c>, and the fields a
/// place offers (<c>{{ .Vars }}</c> and <c>{{ .Path }}</c> in <c>execute_command</c>). Anything else (pipes, other
/// functions) is refused with the field named.
/// </summary>
internal sealed class TemplateExpressions(TemplateFunctions functions, Func<string, string, string> user, TemplateError error)
{
    /// <summary>Where an expression is evaluated: its field, whether <c>env</c> may be used, and the dotted fields offered.</summary>
    public sealed record Place(string Field, bool AllowEnv = false, IReadOnlyDictionary<string, string>? Fields = null);

    public string Evaluate(string text, Place place)
    {
        var result = new StringBuilder();
        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOf("{{", position, StringComparison.Ordinal);
            if (open < 0)
            {
                result.Append(text, position, text.Length - position);
                break;
            }

            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw error.At(place.Field, $"has '{{{{' without a closing '}}}}': '{text}'");
            }

            result.Append(text, position, open - position);
            result.Append(Call(text[open..(close + 2)], place));
            position = close + 2;
        }

        return result.ToString();
    }

    private string Call(string expression, Place place)
    {
        var inner = expression[2..^2].Trim();
        inner = inner.StartsWith('-') ? inner[1..].TrimStart() : inner;
        inner = inner.EndsWith('-') ? inner[..^1].TrimEnd() : inner;
        var words = Words(inner, expression, place);
        if (words.Count == 0)
        {
            throw error.At(place.Field, $"has an empty expression '{expression}'");
        }

        var name = words[0];
        var arguments = words.Skip(1).ToList();
        if (name.StartsWith('.'))
        {
            return place.Fields is { } fields && fields.TryGetValue(name[1..], out var value) && arguments.Count == 0
                ? value
                : throw error.At(place.Field,
                    $"uses '{expression}': "
                    + $"{(place.Fields is { Count: > 0 } offered ? "only " + string.Join(", ", offered.Keys.Select(k => "." + k)) + " are" : "no fields are")}"
                    + " available here");
        }

        string Arity(int count, Func<string> value) =>
            arguments.Count == count ? value() : throw error.At(place.Field, $"uses '{expression}': {name} takes {count} argument(s)");

        return name switch
        {
            "user" => Arity(1, () => user(arguments[0], place.Field)),
            "env" when place.AllowEnv => Arity(1, () => functions.Environment(arguments[0]) ?? string.Empty),
            "env"
                => throw error.At(place.Field,
                $"uses '{expression}': as in Packer, env is only allowed in the defaults of 'variables'; declare a variable with default {{{{env "
                + $"`{(arguments.Count > 0 ? arguments[0] : "NAME")}`}}}} and use {{{{user `name`}}}} here"),
            "timestamp" => Arity(0, () => functions.Timestamp),
            "isotime" when arguments.Count <= 1 => functions.IsoTime(arguments.FirstOrDefault()),
            "uuid" => Arity(0, () => Guid.NewGuid().ToString()),
            "template_dir" => Arity(0, () => functions.TemplateDirectory),
            "pwd" => Arity(0, () => functions.WorkingDirectory),
            "build_name" or "build_type" when functions.BuildName is null
                => throw error.At(place.Field,
                $"uses '{expression}', which has no value in variables (Packer: '{name} not available'): variables are shared by all builders; use "
                + $"{{{{{name}}}}} in the builders' and provisioners' fields"),
            "build_name" => Arity(0, () => functions.BuildName!),
            "build_type" => Arity(0, () => DigitalOceanBuilder.Type),
            _ => throw error.At(place.Field, $"uses '{expression}': '{name}' is not supported; supported: {string.Join(", ", TemplateFunctions.Supported)}"),
        };
    }

    /// <summary>Splits an expression into its function name and string arguments (backquoted or double-quoted).</summary>
    private List<string> Words(string inner, string expression, Place place)
    {
        var words = new List<string>();
        var position = 0;
        while (position < inner.Length)
        {
            var c = inner[position];
            if (char.IsWhiteSpace(c))
            {
                position++;
            }
            else if (c == '`')
            {
                var end = inner.IndexOf('`', position + 1);
                words.Add(end > 0 ? inner[(position + 1)..end] : throw error.At(place.Field, $"has an unclosed ` in '{expression}'"));
                position = end + 1;
            }
            else if (c == '"')
            {
                var word = new StringBuilder();
                position++;
                while (position < inner.Length && inner[position] != '"')
                {
                    if (inner[position] == '\\' && position + 1 < inner.Length)
                    {
                        position++;
                    }

                    word.Append(inner[position++]);
                }

                words.Add(position < inner.Length ? word.ToString() : throw error.At(place.Field, $"has an unclosed \" in '{expression}'"));
                position++;
            }
            else if (char.IsAsciiLetterOrDigit(c) || c == '.' || c == '_')
            {
                var start = position;
                while (position < inner.Length && (char.IsAsciiLetterOrDigit(inner[position]) || inner[position] is '_' or '.'))
                {
                    position++;
                }

                words.Add(inner[start..position]);
            }
            else
            {
                throw error.At(place.Field,
                    $"uses '{expression}', which the addin cannot evaluate ('{c}'); supported: {string.Join(", ", TemplateFunctions.Supported)} with string "
                    + "arguments");
            }
        }

        return words;
    }
}
