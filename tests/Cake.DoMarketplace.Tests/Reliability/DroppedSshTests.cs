using System.Net.Http.Headers;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Reliability;

/// <summary>The SSH connection cut during a command: a clear failure, or a reconnect when the command was expected to drop it.</summary>
[Trait("Category", "Integration")]
public sealed class DroppedSshTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private async Task DropSshSoonAsync(long dropletId)
    {
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        using var http = new HttpClient { BaseAddress = cloud.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", LocalCloudFixture.Token);
        (await http.PostAsync($"local-cloud/droplets/{dropletId}/drop-ssh", null)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_dropped_connection_fails_the_command_clearly_unless_a_drop_was_expected()
    {
        var log = new RecordingLog();
        var context = cloud.Context(log, cloud.DataDirectory);
        var droplet = context.DoCreateBuildDroplet(s => s.Name = "dropped-ssh");
        try
        {
            var drop = DropSshSoonAsync(droplet.Id);
            var error = Assert.ThrowsAny<Exception>(()
                => context.DoRunRemote(droplet, "echo started; sleep 20; echo never", new RemoteCommandSettings { LogOutput = false }));
            await drop;
            Assert.IsType<RemoteConnectionLostException>(error);
            Assert.Contains("dropped after", error.Message);


            // The next command reconnects; a command expected to drop the connection reconnects after it.
            Assert.Equal("back\n", context.DoRunRemote(droplet, "echo back", new RemoteCommandSettings { LogOutput = false }).StandardOutput);
            var expected = DropSshSoonAsync(droplet.Id);
            context.DoRunRemote(droplet, "sleep 20", new RemoteCommandSettings { ExpectReboot = true, AllowNonZeroExit = true, LogOutput = false });
            await expected;
            Assert.Equal("still here\n", context.DoRunRemote(droplet, "echo still here", new RemoteCommandSettings { LogOutput = false }).StandardOutput);
        }
        finally
        {
            context.DoDestroyDroplet(droplet);
        }

        Assert.Empty(cloud.Leftovers());
    }
}
