using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Pipeline;

/// <summary>
/// A step another recipe adds to <c>DoBuildImage</c> (a Packer template's provisioners): it runs on the build droplet's
/// session after the numbered scripts, in order, with its own line in the summary table.
/// </summary>
/// <param name="Title">The step as the log and the summary table show it.</param>
/// <param name="Run">Does the step on the session; returns a short detail for the table, or null.</param>
internal sealed record RemoteStep(string Title, Func<IRemoteSession, CancellationToken, Task<string?>> Run);
