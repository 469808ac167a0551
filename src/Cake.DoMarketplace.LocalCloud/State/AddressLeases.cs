using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Cake.DoMarketplace.LocalCloud.State;

/// <summary>
/// Hands out loopback addresses for droplets' sshd (127.0.0.2, .3, …), unique on the machine even when several local
/// clouds run at once (parallel tests, a build beside a test run): each address is held through an exclusive lock
/// file for as long as its droplet lives, and the OS drops the lock if the process dies.
/// </summary>
internal sealed class AddressLeases
{
    private static readonly string LockDirectory = Directory.Exists("/run") ? "/run/cake-domarketplace/addresses" : Path.Combine(Path.GetTempPath(), "cake-domarketplace-addresses");
    private readonly ConcurrentDictionary<string, FileStream> held = new();

    public string Acquire()
    {
        Directory.CreateDirectory(LockDirectory);
        for (var n = 0; n < 253 * 255; n++)
        {
            var address = $"127.0.{n / 253}.{2 + (n % 253)}";
            if (held.ContainsKey(address))
            {
                continue;
            }

            FileStream? lease = null;
            try
            {
                lease = new FileStream(Path.Combine(LockDirectory, address), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                continue; // another local cloud's droplet
            }

            if (IsFree(address) && held.TryAdd(address, lease))
            {
                return address;
            }

            lease.Dispose();
        }

        throw new InvalidOperationException("No free loopback address left for a droplet.");
    }

    public void Release(string address)
    {
        if (held.TryRemove(address, out var lease))
        {
            lease.Dispose();
        }
    }

    public void ReleaseAll()
    {
        foreach (var address in held.Keys)
        {
            Release(address);
        }
    }

    // Something else (a stray sshd, another program) may listen there: never hand out an address in use.
    private static bool IsFree(string address)
    {
        try
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            probe.Connect(new IPEndPoint(IPAddress.Parse(address), 22));
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }
}
