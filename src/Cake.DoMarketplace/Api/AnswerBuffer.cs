using System.Globalization;

namespace Cake.DoMarketplace.Api;

/// <summary>
/// Reads an answer's body into memory, at most <see cref="DoApiClient.MaxAnswerBytes"/>, within the request timeout:
/// a broken or hostile server can neither fill the build machine's memory nor hold the build with a body that never
/// ends.
/// </summary>
internal static class AnswerBuffer
{
    /// <summary>An error answer is read for its message only: a proxy's page says enough in its first 64 KiB.</summary>
    private const int MaxErrorBytes = 64 * 1024;

    /// <summary>Replaces <paramref name="answer"/>'s content with its body, read to the limit.</summary>
    /// <exception cref="DoApiProtocolException">A success answer over the limit.</exception>
    /// <exception cref="TaskCanceledException">The body took longer than <paramref name="timeout"/> (an unknown outcome).</exception>
    /// <exception cref="HttpRequestException">The connection broke while reading (an unknown outcome).</exception>
    public static async Task LoadAsync(HttpResponseMessage answer, string method, string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var call = new ApiCall(method, path, answer.StatusCode);
        var limit = call.Accepted ? DoApiClient.MaxAnswerBytes : MaxErrorBytes;
        if (call.Accepted && answer.Content.Headers.ContentLength is { } declared && declared > limit)
        {
            throw call.Error($"a body of {MiB(declared)} ({(int)call.Status}); not read, as no real answer is over {MiB(limit)}");
        }

        using var time = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        time.CancelAfter(timeout);
        using var body = new MemoryStream();
        try
        {
            await using var stream = await answer.Content.ReadAsStreamAsync(time.Token).ConfigureAwait(false);
            var chunk = new byte[81920];
            int read;
            while (
                (read = await stream.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, limit + 1L - body.Length)), time.Token).ConfigureAwait(false)) > 0)
            {
                body.Write(chunk, 0, read);
                if (body.Length > limit)
                {
                    if (call.Accepted)
                    {
                        throw call.Error($"more than {MiB(limit)} ({(int)call.Status}); stopped reading there, as no real answer is that large");
                    }

                    body.SetLength(limit);
                    break;
                }
            }
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TaskCanceledException($"Reading the answer to {method} {path} took longer than {timeout.TotalSeconds:0}s.",
                new TimeoutException(e.Message, e));
        }
        catch (IOException e)
        {
            throw new HttpRequestException($"The connection broke while reading the answer to {method} {path}.", e);
        }

        var content = new ByteArrayContent(body.ToArray());
        foreach (var header in answer.Content.Headers.Where(h => !h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
        {
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        answer.Content.Dispose();
        answer.Content = content;
    }

    private static string MiB(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB");
}
