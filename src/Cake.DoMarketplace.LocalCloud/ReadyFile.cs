using System.Text.Json;

namespace Cake.DoMarketplace.LocalCloud;

/// <summary>
/// The machine-readable "ready" signal for whoever started the local cloud (the addin's <c>DoStartLocalCloud</c>):
/// <c>{"url": …, "dataDirectory": …, "pid": …}</c>, written whole (to a temporary name, then renamed) once the API
/// accepts requests, so a reader never sees half a file.
/// </summary>
internal static class ReadyFile
{
    public static void Write(string path, Uri url, string dataDirectory)
    {
        var temporary = path + ".partial";
        File.WriteAllText(temporary, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["url"] = url.ToString(),
            ["dataDirectory"] = dataDirectory,
            ["pid"] = Environment.ProcessId,
        }));
        File.Move(temporary, path, overwrite: true);
    }
}
