using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Packer;

/// <summary>A provisioner's <c>timeout</c> (a Go duration) bounds each attempt of it, and its error names the field.</summary>
public sealed class ProvisionerTimeoutTests : IDisposable
{
    private readonly PackerTemplateFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public async Task A_provisioner_past_its_timeout_is_stopped_and_fails_naming_the_field_and_the_template()
    {
        var json = PackerTemplateFiles.Minimal();
        json["provisioners"]![0]!["timeout"] = "300ms";
        var build = files.Build();
        var step = Assert.Single(build.ImageSettings(files.Read(json), new()).RemoteSteps);
        var session = new FakeSession { Label = "packer-build" }.Hang("script_");

        var error = await Assert.ThrowsAsync<WaitTimeoutException>(() => step.Run(session, CancellationToken.None));

        Assert.Equal("provisioners[0].timeout in marketplace-image.json", error.Setting);
        Assert.StartsWith("Timed out after 0.3s waiting for provisioners[0] shell: 1 inline command(s) on packer-build", error.Message);
        Assert.EndsWith("Raise provisioners[0].timeout in marketplace-image.json if this step is legitimately slow.", error.Message);
        Assert.Contains(session.Stopped, c => c.Contains("script_", StringComparison.Ordinal)); // the command's token was cancelled
    }

    [Fact]
    public async Task Each_retry_gets_the_whole_timeout_again()
    {
        var json = PackerTemplateFiles.Minimal();
        json["provisioners"]![0]!["timeout"] = "200ms";
        json["provisioners"]![0]!["max_retries"] = "1";
        var step = Assert.Single(files.Build().ImageSettings(files.Read(json), new()).RemoteSteps);
        var session = new FakeSession { Label = "packer-build" }.Hang("script_");

        var error = await Assert.ThrowsAsync<WaitTimeoutException>(() => step.Run(session, CancellationToken.None));

        Assert.Equal(2, session.Stopped.Count(c => c.Contains("script_", StringComparison.Ordinal)));
        Assert.Contains("provisioners[0] failed (attempt 1 of 2, max_retries): Timed out after 0.2s", files.Log.AllText, StringComparison.Ordinal);
        Assert.Equal("provisioners[0].timeout in marketplace-image.json", error.Setting);
    }

    [Fact]
    public async Task Without_a_timeout_the_provisioner_runs_as_long_as_it_takes()
    {
        var step = Assert.Single(files.Build().ImageSettings(files.Read(PackerTemplateFiles.Minimal()), new()).RemoteSteps);
        var session = new FakeSession { Label = "packer-build" };

        Assert.Null(await step.Run(session, CancellationToken.None));
        Assert.Contains(session.Commands, c => c.Contains("script_", StringComparison.Ordinal));
    }
}
