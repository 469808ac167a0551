using System.Globalization;
using Cake.DoMarketplace.LocalCloud.Api;
using Cake.DoMarketplace.LocalCloud.Faults;

namespace Cake.DoMarketplace.LocalCloud;

/// <summary>
/// The command's options and environment, read and checked before anything starts; a bad one is a
/// <see cref="CommandLineException"/> naming it and the fix.
/// </summary>
internal sealed class CommandLine
{
    public const string Usage =
        "Usage: do-local-cloud --port N --data-dir DIR --token TOKEN [--token TOKEN2] [--token-scopes TOKEN=scope1,scope2] [--image-cache DIR] [--prepare] "
        + "[--vendor-app ID] [--address-range CIDR] [--faults name=value,...] [--ready-file FILE] [--exit-with-parent PID] "
        + "[--pace machine|digitalocean] [--pace-factor F]";

    private CommandLine(LocalCloudOptions options) => Options = options;

    public LocalCloudOptions Options { get; }

    /// <summary>Only the prerequisites and the cached base images (<c>--prepare</c>).</summary>
    public bool PrepareOnly { get; private set; }

    public string? ReadyFile { get; private set; }

    public int? ParentPid { get; private set; }

    public static CommandLine Parse(IReadOnlyList<string> args, ILoggerFactory loggerFactory, Func<string, string?> environment)
    {
        // LocalCloudOptions reads these variables itself; checked first, a bad value names its variable.
        Checked("LOCAL_CLOUD_FAULTS", () => FaultOptions.Parse(environment("LOCAL_CLOUD_FAULTS")));
        var scoped = environment(TokenScopeSpec.Variable);
        Checked(TokenScopeSpec.Variable, () => TokenScopeSpec.AddTo(new Dictionary<string, IReadOnlyList<string>>(), scoped, TokenScopeSpec.Variable));
        var line = new CommandLine(new LocalCloudOptions { Port = 7117, LoggerFactory = loggerFactory });
        var options = line.Options;
        for (var i = 0; i < args.Count; i++)
        {
            var option = args[i];
            string Next() => i + 1 < args.Count ? args[++i] : throw new CommandLineException($"{option} needs a value. {Usage}");
            switch (option)
            {
                case "--port": options.Port = Number(option, Next(), 0, 65535, "a TCP port from 1 to 65535, or 0 for a free one"); break;
                case "--data-dir": options.DataDirectory = FullPath(option, Next()); break;
                case "--token": options.Tokens.Add(NotBlank(option, Next())); break;
                case "--token-scopes":
                    var scopes = Next();
                    Checked(option, () => TokenScopeSpec.AddTo(options.TokenScopes, scopes, option));
                    break;
                case "--image-cache": options.ImageCacheDirectory = FullPath(option, Next()); break;
                case "--prepare": line.PrepareOnly = true; break;
                case "--vendor-app": options.VendorApps.Add(NotBlank(option, Next())); break;
                case "--address-range":
                    var range = Next();
                    Checked(option, () => Network.AddressRange.Parse(range, option));
                    options.AddressRange = range;
                    break;
                case "--faults":
                    var faults = Next();
                    options.Faults = Checked(option, () => FaultOptions.Parse(faults));
                    break;
                case "--ready-file": line.ReadyFile = FullPath(option, Next()); break;
                case "--pace": options.Pace = Pace(option, Next()); break;
                case "--pace-factor": options.PaceFactor = Factor(option, Next()); break;
                case "--exit-with-parent": line.ParentPid = Number(option, Next(), 1, int.MaxValue, "the process id of the process to exit with"); break;
                default: throw new CommandLineException($"Unknown option {option}. {Usage}");
            }
        }

        if (args.Contains("--pace-factor") && options.Pace != LocalCloudPace.DigitalOcean)
        {
            throw new CommandLineException("--pace-factor scales DigitalOcean's pace: add --pace digitalocean, or leave --pace-factor out.");
        }

        if (!args.Contains("--address-range"))
        {
            Checked("LOCAL_CLOUD_ADDRESS_RANGE", () => Network.AddressRange.Parse(options.AddressRange, "LOCAL_CLOUD_ADDRESS_RANGE"));
        }

        if (options.Tokens.Count == 0 && environment("LOCAL_CLOUD_TOKEN") is { Length: > 0 } token)
        {
            options.Tokens.Add(token);
        }

        if (!line.PrepareOnly && options.Tokens.Count == 0 && options.TokenScopes.Count == 0)
        {
            throw new CommandLineException(
                "The local cloud needs a token to accept: --token TOKEN, --token-scopes TOKEN=scope1,scope2, or LOCAL_CLOUD_TOKEN in the environment.");
        }

        return line;
    }

    private static int Number(string option, string text, int min, int max, string what) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new CommandLineException($"{option} takes {what}; '{text}' is not one.");

    private static LocalCloudPace Pace(string option, string text) => text.ToLowerInvariant() switch
    {
        "machine" => LocalCloudPace.Machine,
        "digitalocean" => LocalCloudPace.DigitalOcean,
        _ => throw new CommandLineException($"{option} takes machine (as fast as this machine, the default) or digitalocean; '{text}' is neither."),
    };

    private static double Factor(string option, string text) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value > 0
            ? value
            : throw new CommandLineException(
                $"{option} takes a number above 0 that DigitalOcean's times are multiplied by, such as 1 or 0.1; '{text}' is not one.");

    private static string NotBlank(string option, string text) =>
        string.IsNullOrWhiteSpace(text) ? throw new CommandLineException($"{option} needs a value that is not blank.") : text;

    private static string FullPath(string option, string text)
    {
        try
        {
            return Path.GetFullPath(NotBlank(option, text));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new CommandLineException($"{option} '{text}' is not a usable path: {e.Message}");
        }
    }

    private static void Checked(string source, Action check) => Checked(source, () =>
    {
        check();
        return 0;
    });

    private static T Checked<T>(string source, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (FormatException e)
        {
            // Most messages already start with the option's name; the others get it.
            throw new CommandLineException(e.Message.StartsWith(source, StringComparison.Ordinal) ? e.Message : $"{source}: {e.Message}");
        }
    }
}
