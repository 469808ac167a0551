namespace Cake.DoMarketplace.Packages;

/// <summary>A process holding one of the package manager's locks on the droplet.</summary>
/// <param name="Pid">Its process id, as the droplet sees it; 0 or less when the kernel does not say (an open file description lock).</param>
/// <param name="Command">Its command name (<c>/proc/PID/comm</c>, at most 15 characters: <c>unattended-upgr</c>), or <c>?</c>.</param>
/// <param name="Path">The lock file or pid file it holds.</param>
internal sealed record PackageLockHolder(int Pid, string Command, string Path);
