using System.Globalization;
using System.Text;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Pipeline;

/// <summary>
/// One or more variants of <c>DoBuildImages</c> did not succeed. The message lists each with its error; <see cref="Result"/>
/// carries every variant's result, so the images that were built are not lost (their ids are in it). Each failed variant
/// removed what it had created before this was raised.
/// </summary>
public sealed class VariantBuildsFailedException : DoMarketplaceException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="result">Every variant's result.</param>
    public VariantBuildsFailedException(ImageBuildsResult result)
        : base(Describe(result ?? throw new ArgumentNullException(nameof(result))), result.NotSucceeded.Select(v => v.Error).FirstOrDefault(e => e is not null))
    {
        Result = result;
    }

    /// <summary>Every variant's result, the succeeded ones with their images.</summary>
    public ImageBuildsResult Result { get; }

    private static string Describe(ImageBuildsResult result)
    {
        var text = new StringBuilder($"{result.NotSucceeded.Count} of {result.Variants.Count} image variant(s) did not succeed:");
        foreach (var variant in result.NotSucceeded)
        {
            var why = variant.Error is { } error ? $"{error.GetType().Name}: {SecretRedactor.Redact(error.Message).Split('\n')[0]}" : "never started";
            text.Append(CultureInfo.InvariantCulture, $"\n  {variant.Name}: {variant.Status}: {why}");
        }

        if (result.Succeeded.Count > 0)
        {
            var built = result.Succeeded.Select(v => $"{v.Name} (image {v.Image!.Image.ImageId})");
            text.Append(CultureInfo.InvariantCulture, $"\nBuilt: {string.Join(", ", built)}");
        }

        return text.ToString();
    }
}
