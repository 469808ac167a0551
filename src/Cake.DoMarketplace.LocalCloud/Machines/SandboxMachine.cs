using System.Diagnostics;

namespace Cake.DoMarketplace.LocalCloud.Machines;

/// <summary>
/// One running droplet: the launcher process (unshare, which becomes systemd-nspawn) whose child is the droplet's
/// PID 1, systemd.
/// </summary>
internal sealed class SandboxMachine(Process launcher)
{
    public Process Launcher { get; } = launcher;

    public bool HasExited => Launcher.HasExited;

    /// <summary>The host PID of the droplet's init (the child of systemd-nspawn), once it exists.</summary>
    public int? InitPid
    {
        get
        {
            try
            {
                var children = File.ReadAllText($"/proc/{Launcher.Id}/task/{Launcher.Id}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return children.Length > 0 && int.TryParse(children[0], out var pid) ? pid : null;
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    public void SignalLauncher(int signal) => _ = Kill(Launcher.Id, signal);

    /// <summary>Signals the droplet's PID 1: SIGKILL ends every process of the machine at once (its PID namespace).</summary>
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
            await Launcher.WaitForExitAsync(timeout.Token);
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
            Launcher.Kill(entireProcessTree: true);
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
