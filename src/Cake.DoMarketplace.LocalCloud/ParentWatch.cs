namespace Cake.DoMarketplace.LocalCloud;

/// <summary>Stops the local cloud when the process that started it is gone (a build killed with SIGKILL cannot say so).</summary>
internal static class ParentWatch
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    public static async Task CancelWhenGoneAsync(int pid, CancellationTokenSource stop)
    {
        while (!stop.IsCancellationRequested && Directory.Exists($"/proc/{pid.ToString(System.Globalization.CultureInfo.InvariantCulture)}"))
        {
            await Task.Delay(Every, CancellationToken.None);
        }

        Console.WriteLine($"The process that started the local cloud ({pid.ToString(System.Globalization.CultureInfo.InvariantCulture)}) is gone: stopping");
        await stop.CancelAsync();
    }
}
