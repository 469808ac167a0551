using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Droplets;

public sealed class CleanupGuardTests
{
    private readonly RecordingLog log = new();

    [Fact]
    public async Task Every_clean_up_runs_whatever_the_one_before_threw_and_after_a_success_the_failures_are_one_error_naming_them()
    {
        var guard = new CleanupGuard(log);
        var ran = new List<string>();

        var timeout = new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.");
        await guard.RunAsync("delete image 777", () => throw timeout);
        await guard.RunAsync("delete droplet 9", () => Task.FromResult(false)); // logs its own failure, answers false
        await guard.RunAsync("delete key 55", () =>
        {
            ran.Add("delete key 55");
            return Task.CompletedTask;
        });
        var error = Assert.Throws<CleanupIncompleteException>(() => guard.Conclude(null, "The image build"));

        Assert.Equal(["delete key 55"], ran);
        Assert.Equal(["delete image 777", "delete droplet 9"], guard.Failed);
        Assert.Equal("delete image 777, delete droplet 9", error.Resource);
        Assert.Equal(
            "The image build finished, but 2 clean-up(s) failed: delete image 777: The request was canceled due to the configured HttpClient.Timeout of "
            + "100 seconds elapsing.; delete droplet 9: see the errors above. See the errors above for what is left and how to delete it.",
            error.Message);
        Assert.Contains("Clean-up 'delete image 777' failed: The request was canceled", log.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_failure_the_clean_ups_failures_are_attached_to_it_and_logged_after_it_and_nothing_is_thrown()
    {
        var guard = new CleanupGuard(log);
        var original = new InvalidOperationException("the build's own error");

        await guard.RunAsync("delete droplet 9", () => throw new OperationCanceledException());
        guard.Conclude(original, "The image build");

        Assert.Equal(["delete droplet 9: The operation was canceled."], (string[])original.Data[CleanupGuard.FailuresKey]!);
        Assert.Equal(
            [
                "Clean-up 'delete droplet 9' failed: The operation was canceled.",
                "1 clean-up(s) failed after this error: the build's own error",
                "    delete droplet 9: The operation was canceled.",
            ],
            log.Lines.Select(l => l.Text));
    }

    [Fact]
    public async Task Clean_ups_that_all_succeed_report_nothing()
    {
        var guard = new CleanupGuard(log);

        await guard.RunAsync("delete droplet 9", () => Task.FromResult(true));
        guard.Conclude(null, "The image build");

        Assert.Empty(guard.Failed);
        Assert.Empty(log.Lines);
    }
}
