using System.Net;
using System.Net.Sockets;

namespace Cake.DoMarketplace.Tests.Support;

/// <summary>A TCP port on 127.0.0.1 nothing listens on: bound once to get a free number, then released.</summary>
public static class FreeTcpPort
{
    public static int Next()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        var port = ((IPEndPoint)socket.LocalEndpoint).Port;
        socket.Stop();
        return port;
    }
}
