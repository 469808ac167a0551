using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.LocalCloudLaunch;

/// <summary>
/// A running local cloud started by <c>DoStartLocalCloud</c>. Dispose it (a <c>using</c> or Cake's <c>Teardown</c>) to
/// stop it: every droplet powered off, its network, mounts and rules removed. It also stops by itself when the build's
/// process ends, however it ends.
/// </summary>
public sealed class LocalCloudHandle : IDisposable
{
    private readonly LocalCloudProcess process;
    private readonly ICakeLog log;
    private readonly TimeSpan stopTimeout;
    private readonly Dictionary<string, string?> replacedVariables;

    internal LocalCloudHandle(LocalCloudProcess process, Uri url, string token, string dataDirectory, ICakeLog log, TimeSpan stopTimeout, Dictionary<string,
        string?> replacedVariables)
    {
        this.process = process;
        this.log = log;
        this.stopTimeout = stopTimeout;
        this.replacedVariables = replacedVariables;
        Url = url;
        Token = token;
        DataDirectory = dataDirectory;
    }

    /// <summary>The API address, such as <c>http://127.0.0.1:40321/</c>.</summary>
    public Uri Url { get; }

    /// <summary>The one-time token this local cloud accepts (never logged).</summary>
    public string Token { get; }

    /// <summary>Where its droplets and images live.</summary>
    public string DataDirectory { get; }

    /// <summary>Stops the local cloud (as Ctrl-C would) and puts the environment variables back.</summary>
    public void Dispose()
    {
        foreach (var (name, value) in replacedVariables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        replacedVariables.Clear();
        if (process.HasExited)
        {
            process.Dispose();
            return;
        }

        log.Info($"Stopping the local cloud at {Url}");
        var interrupted = process.Interrupt();
        if (!interrupted || !process.WaitForExit(stopTimeout))
        {
            if (interrupted)
            {
                log.Warn(
                    $"The local cloud did not stop within {DurationText.Of(stopTimeout)} "
                    + $"({nameof(LocalCloudSettings)}.{nameof(LocalCloudSettings.StopTimeout)}); killing it");
            }

            process.Kill();
        }

        process.ExitAsync().GetAwaiter().GetResult();
        process.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"local cloud at {Url} (data in {DataDirectory})";

    internal static Dictionary<string, string?> PointEnvironmentAt(Uri url, string token)
    {
        var replaced = new Dictionary<string, string?>(StringComparer.Ordinal);
        // The process's own variables, not ICakeEnvironment (which reads them and has no setter): the other aliases of the run read them there.
        foreach (var (name, value) in new[] { (DoApiCredentials.TokenVariables[0], token), (DoApiCredentials.ApiUrlVariable, url.ToString()) })
        {
            replaced[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }

        return replaced;
    }
}
