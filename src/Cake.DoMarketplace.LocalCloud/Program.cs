using Cake.DoMarketplace.LocalCloud;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

// dotnet run --project src/Cake.DoMarketplace.LocalCloud -- --port 7117 --data-dir .local-cloud --token local-token
using var loggerFactory = LoggerFactory.Create(b => b.AddConsole(o => o.FormatterName = ConsoleLines.FormatterName).AddConsoleFormatter<ConsoleLines, ConsoleFormatterOptions>());
var options = new LocalCloudOptions { Port = 7117, LoggerFactory = loggerFactory };
var prepareOnly = false;
string? readyFile = null;
int? parentPid = null;
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--port": options.Port = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
        case "--data-dir": options.DataDirectory = Path.GetFullPath(Next()); break;
        case "--token": options.Tokens.Add(Next()); break;
        case "--token-scopes": Cake.DoMarketplace.LocalCloud.Api.TokenScopeSpec.AddTo(options.TokenScopes, Next(), "--token-scopes"); break;
        case "--image-cache": options.ImageCacheDirectory = Path.GetFullPath(Next()); break;
        case "--prepare": prepareOnly = true; break;
        case "--vendor-app": options.VendorApps.Add(Next()); break;
        case "--address-range": options.AddressRange = Next(); break;
        case "--faults": options.Faults = Cake.DoMarketplace.LocalCloud.Faults.FaultOptions.Parse(Next()); break;
        case "--ready-file": readyFile = Path.GetFullPath(Next()); break;
        case "--exit-with-parent": parentPid = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine($"Unknown option {args[i]}. Usage: --port N --data-dir DIR --token TOKEN [--token TOKEN2] [--token-scopes TOKEN=scope1,scope2] [--image-cache DIR] [--prepare] [--vendor-app ID] [--address-range CIDR] [--faults name=value,...] [--ready-file FILE] [--exit-with-parent PID]");
            return 2;
    }
}

if (options.Tokens.Count == 0 && Environment.GetEnvironmentVariable("LOCAL_CLOUD_TOKEN") is { Length: > 0 } token)
{
    options.Tokens.Add(token);
}

LocalCloudServer started;
try
{
    if (prepareOnly)
    {
        // Prerequisites and the cached base image only, for CI and first-time set-up.
        await LocalCloudServer.PrepareAsync(options);
        return 0;
    }

    started = await LocalCloudServer.StartAsync(options);
}
catch (Cake.DoMarketplace.LocalCloud.Machines.Prerequisites.UnmetException e)
{
    // What this machine lacks and how to get it, said in full: a stack trace would add nothing.
    Console.Error.WriteLine(e.Message);
    return 1;
}

await using var server = started;
Console.WriteLine($"Local cloud API listening on {server.BaseUrl} (data in {options.DataDirectory})");
if (readyFile is not null)
{
    ReadyFile.Write(readyFile, server.BaseUrl, options.DataDirectory);
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
if (parentPid is { } parent)
{
    // Started by a build (DoStartLocalCloud): when that process dies however it dies, stop and clean up too.
    _ = ParentWatch.CancelWhenGoneAsync(parent, stop);
}
try
{
    await server.WaitForShutdownAsync(stop.Token);
}
catch (OperationCanceledException)
{
}

return 0;
