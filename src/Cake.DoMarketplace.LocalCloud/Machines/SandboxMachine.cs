using System.Diagnostics;

namespace Cake.DoMarketplace.LocalCloud.Machines;

/// <summary>One running droplet: the <c>unshare</c> process whose child is the droplet's PID 1.</summary>
internal sealed class SandboxMachine(Process unshare)
{
    public Process Unshare { get; } = unshare;

    public bool HasExited => Unshare.HasExited;

    /// <summary>The host PID of the droplet's init (the child of unshare), once it exists.</summary>
    public int? InitPid
    {
        get
        {
            try
            {
                var children = File.ReadAllText($"/proc/{Unshare.Id}/task/{Unshare.Id}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return children.Length > 0 && int.TryParse(children[0], out var pid) ? pid : null;
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    public void Signal(int signal)
    {
        if (InitPid is { } pid)
        {
            _ = Kill(pid, signal);
        }
    }

    public async Task<bool> WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await Unshare.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async Task KillAsync()
    {
        Signal(9);
        try
        {
            Unshare.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        await WaitForExitAsync(TimeSpan.FromSeconds(10));
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
