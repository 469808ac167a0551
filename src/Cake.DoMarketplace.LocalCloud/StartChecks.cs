using System.Net;
using System.Net.Sockets;

namespace Cake.DoMarketplace.LocalCloud;

/// <summary>
/// What the local cloud checks before it changes anything on the machine, each failure an error naming the setting
/// and the fix: the data folder can be written, the port is free.
/// </summary>
internal static class StartChecks
{
    private const string DataSetting = "LocalCloudOptions.DataDirectory, --data-dir";
    private const string PortSetting = "LocalCloudOptions.Port, --port";

    /// <summary>Creates the data folder and writes a file into it (a folder can exist on a read-only file system).</summary>
    /// <exception cref="IOException">The folder cannot be made or written.</exception>
    public static void DataDirectoryWritable(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
            var probe = Path.Combine(path, $".write-check-{Environment.ProcessId}");
            File.WriteAllText(probe, string.Empty);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"The data folder {path} ({DataSetting}) cannot be written: {e.Message} Choose a folder this user can write to.", e);
        }
    }

    /// <summary>Binds the port for a moment; 0 (any free port) needs no check.</summary>
    /// <exception cref="IOException">Something listens there, or this user may not bind it.</exception>
    public static void PortFree(int port)
    {
        if (port == 0)
        {
            return;
        }

        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            throw PortRefused(port, e.SocketErrorCode, e);
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>The error for a port the API cannot listen on (also when Kestrel's own bind fails).</summary>
    public static IOException PortRefused(int port, SocketError error, Exception cause) => new(
        error == SocketError.AccessDenied
            ? $"Port {port} on 127.0.0.1 ({PortSetting}) may not be opened by this user; pick a port from 1024 up, or 0 for a free one."
            : $"Port {port} on 127.0.0.1 ({PortSetting}) is already in use; stop what listens there (ss -ltnp 'sport = :{port}' shows it), "
              + "or pick another port, or 0 for a free one.",
        cause);
}
