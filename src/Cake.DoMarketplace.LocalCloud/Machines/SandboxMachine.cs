using System.Diagnostics;

namespace Cake.DoMarketplace.LocalCloud.Machines;

/// <summary>
/// One running droplet: the launcher process (unshare, which becomes systemd-nspawn) whose child is the droplet's
/// PID 1, systemd.
/// </summary>
internal sealed class SandboxMachine(Process launcher)
{
    /// <summary>The socket tables under <c>/proc/PID/net</c> where a listening sshd shows.</summary>
    private static readonly string[] SocketTables = ["tcp", "tcp6"];

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

    /// <summary>
    /// True once something listens on TCP port 22 in the droplet's network namespace, read from its socket table: no
    /// probe connection, which a firewall in the droplet (ufw's SSH rate limit) would count against later logins.
    /// </summary>
    public bool ListensOnSsh()
    {
        if (InitPid is not { } pid)
        {
            return false;
        }

        try
        {
            // Until PID 1 runs in the droplet's network namespace, its table would be the host's.
            if (new FileInfo($"/proc/{pid}/ns/net").LinkTarget == new FileInfo("/proc/self/ns/net").LinkTarget)
            {
                return false;
            }

            // Columns: sl local_address rem_address st …; port 22 is 0016, state 0A is LISTEN.
            return SocketTables
                .SelectMany(table => File.ReadLines($"/proc/{pid}/net/{table}").Skip(1))
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Any(columns => columns.Length > 3 && columns[1].EndsWith(":0016", StringComparison.Ordinal) && columns[3] == "0A");
        }
        catch (IOException)
        {
            return false;
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
