using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Droplets;

/// <summary>
/// Runs clean-ups so that none stops the next and none hides the error that started them. Each runs in its own guard:
/// whatever it throws — an API error, a client timeout (<see cref="TaskCanceledException"/>), a cancellation, a lost
/// connection, a bug — is logged and kept, and the next clean-up runs. <see cref="Conclude"/> then reports them after
/// the work's own error (attached to it, which the caller rethrows unchanged), or, when the work succeeded, as a
/// <see cref="CleanupIncompleteException"/> naming the clean-ups that failed.
/// </summary>
internal sealed class CleanupGuard(ICakeLog log)
{
    /// <summary>The key under which the failed clean-ups ("name: message" lines) are attached to the work's error.</summary>
    public const string FailuresKey = "Cake.DoMarketplace.CleanupFailures";

    private readonly List<(string Name, Exception? Error)> failures = [];

    /// <summary>The clean-ups that failed so far, in the order they ran.</summary>
    public IReadOnlyList<string> Failed => failures.Select(f => f.Name).ToList();

    /// <summary>Runs one clean-up; a failure is logged and kept, never thrown.</summary>
    public async Task RunAsync(string name, Func<Task> cleanup)
    {
        try
        {
            await cleanup().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            failures.Add((name, e));
            log.Fail($"Clean-up '{name}' failed: {SecretRedactor.Redact(e.Message)}");
        }
    }

    /// <summary>Runs one clean-up that logs its own failure (what is left, how to delete it) and answers false then.</summary>
    public async Task RunAsync(string name, Func<Task<bool>> cleanup)
    {
        var failedBefore = failures.Count;
        var done = false;
        Func<Task> run = async () => done = await cleanup().ConfigureAwait(false);
        await RunAsync(name, run).ConfigureAwait(false);
        if (!done && failures.Count == failedBefore)
        {
            failures.Add((name, null));
        }
    }

    /// <summary>
    /// After every clean-up ran. With <paramref name="error"/> (the error that started them), the failures are attached to
    /// it and logged after it; the caller rethrows it unchanged. Without, a failure is thrown as a
    /// <see cref="CleanupIncompleteException"/> naming the failed clean-ups.
    /// </summary>
    /// <param name="error">The work's error, or null when the work succeeded.</param>
    /// <param name="work">What ran, for the message when it succeeded: "The image build", "The image test of 123".</param>
    public void Conclude(Exception? error, string work)
    {
        if (failures.Count == 0)
        {
            return;
        }

        var lines = failures
            .Select(f => $"{f.Name}: {(f.Error is null ? "see the errors above" : SecretRedactor.Redact(f.Error.Message))}")
            .ToArray();
        if (error is not null)
        {
            error.Data[FailuresKey] = lines;
            log.Fail($"{failures.Count} clean-up(s) failed after this error: {SecretRedactor.Redact(error.Message)}");
            foreach (var line in lines)
            {
                log.Fail("    " + line);
            }

            return;
        }

        throw new CleanupIncompleteException(
            string.Join(", ", failures.Select(f => f.Name)),
            $"{work} finished, but {failures.Count} clean-up(s) failed: {string.Join("; ", lines)}. "
            + "See the errors above for what is left and how to delete it.");
    }
}
