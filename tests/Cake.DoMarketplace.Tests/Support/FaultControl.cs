using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cake.DoMarketplace.LocalCloud.Faults;

namespace Cake.DoMarketplace.Tests.Support;

/// <summary>Sets the local cloud's injected faults through its own control endpoint, as a test harness would.</summary>
public static class FaultControl
{
    public static async Task SetAsync(LocalCloudFixture cloud, FaultOptions faults)
    {
        using var http = new HttpClient { BaseAddress = cloud.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", LocalCloudFixture.Token);
        using var response = await http.PutAsJsonAsync("local-cloud/faults", faults);
        response.EnsureSuccessStatusCode();
    }

    public static void Set(LocalCloudFixture cloud, FaultOptions faults) => SetAsync(cloud, faults).GetAwaiter().GetResult();
}
