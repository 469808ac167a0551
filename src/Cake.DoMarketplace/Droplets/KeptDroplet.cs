using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Droplets;

/// <summary>
/// Keeps a build droplet after a failure (<c>KeepDropletOnFailure</c>) in a state a person can use: the temporary
/// private key written to a file only its owner can read, a ready <c>ssh -i</c> line, and one command that deletes the
/// droplet, the temporary key registered with DigitalOcean and the key file.
/// </summary>
internal static class KeptDroplet
{
    /// <summary>Writes the key file and logs how to log in and how to clean up; never throws over the build's failure.</summary>
    /// <param name="droplet">The droplet kept.</param>
    /// <param name="files">The file system the key's folder is made in.</param>
    /// <param name="keyDirectory">The absolute folder for the key file (created when missing).</param>
    /// <param name="log">The build log; it gets the file's path, never its content.</param>
    /// <returns>The key file, or null when there is no key to write or it could not be written.</returns>
    public static string? Keep(BuildDroplet droplet, IFileSystem files, string keyDirectory, ICakeLog log)
    {
        var keyFile = WriteKey(droplet, files, keyDirectory, log);
        log.Warn($"Keeping {droplet} for debugging (KeepDropletOnFailure).");
        if (keyFile is not null)
        {
            log.Warn($"Its temporary private key is in {keyFile} (mode 0600). Log in with: ssh -i {ShellQuote.Quote(keyFile)} root@{droplet.PublicIPv4}");
        }

        var delete = $"doctl compute droplet delete --force {droplet.Id}";
        var api = $"DELETE /v2/droplets/{droplet.Id}";
        if (droplet.TemporaryKeyId is { } keyId)
        {
            delete += $" && doctl compute ssh-key delete --force {keyId}";
            api += $" and DELETE /v2/account/keys/{keyId}";
        }

        if (keyFile is not null)
        {
            delete += $" && rm -f {ShellQuote.Quote(keyFile)}";
        }

        log.Warn(
            $"When done, delete the droplet{(droplet.TemporaryKeyId is null ? string.Empty : ", its temporary SSH key")}"
            + $"{(keyFile is null ? string.Empty : " and the key file")}: {delete} (or {api}).");
        return keyFile;
    }

    private static string? WriteKey(BuildDroplet droplet, IFileSystem files, string keyDirectory, ICakeLog log)
    {
        if (droplet.TemporaryKey is not { } key)
        {
            return null;
        }

        var path = System.IO.Path.Combine(keyDirectory, $"{Safe(droplet.Name)}-{droplet.Id}_ed25519");
        try
        {
            files.CreateDirectory(keyDirectory);
            key.WritePrivateKeyFile(path); // System.IO in Ssh: the file is born 0600, which Cake's IFile.Open cannot ask for
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Fail($"Could not write the temporary private key to {path}: {SecretRedactor.Redact(e.Message)}");
            return null;
        }
    }

    private static string Safe(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
