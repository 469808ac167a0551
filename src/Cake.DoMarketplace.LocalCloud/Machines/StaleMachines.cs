using System.Diagnostics;
using System.Globalization;

namespace Cake.DoMarketplace.LocalCloud.Machines;

/// <summary>
/// Start-up recovery: droplets are processes, and none survives a restart of the local cloud. A local cloud that
/// crashed may have left some running; they are stopped (whole process trees, systemd inside included) and their
/// droplet folders removed before anything new starts.
/// </summary>
internal static class StaleMachines
{
    public static void Recover(string dataDirectory, ILogger log)
    {
        var droplets = Path.Combine(dataDirectory, "droplets");
        if (!Directory.Exists(droplets))
        {
            return;
        }

        var left = Directory.GetDirectories(droplets).Length;
        var stopped = Directory.GetFiles(droplets, "nspawn.pid", SearchOption.AllDirectories).Count(pidFile => Stop(pidFile, dataDirectory));
        Directory.Delete(droplets, recursive: true);
        if (left > 0)
        {
            if (stopped > 0)
            {
                log.StaleDropletsRemovedAndStopped(left, droplets, stopped);
            }
            else
            {
                log.StaleDropletsRemoved(left, droplets);
            }
        }
    }

    private static bool Stop(string pidFile, string dataDirectory)
    {
        try
        {
            var pid = int.Parse(File.ReadAllText(pidFile), CultureInfo.InvariantCulture);
            if (!File.ReadAllText($"/proc/{pid}/environ").Contains(dataDirectory, StringComparison.Ordinal))
            {
                return false; // the number went to another process since
            }

            using var stale = Process.GetProcessById(pid);
            stale.Kill(entireProcessTree: true);
            stale.WaitForExit(5000);
            return true;
        }
        catch (Exception e) when (e is IOException or FormatException or ArgumentException or InvalidOperationException or UnauthorizedAccessException)
        {
            return false; // gone already
        }
    }
}
