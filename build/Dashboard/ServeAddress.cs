using System.Net;

namespace Orchestrator.Dashboard;

/// <summary>Where the dashboard listens, checked before anything starts: a non-loopback address only with a token.</summary>
/// <param name="Host">As the operator gave it.</param>
internal sealed record ServeAddress(string Host, IPAddress Address, int Port, bool Loopback)
{
    public static ServeAddress Parse(string host, int port, string? token)
    {
        if (port is < 0 or > 65535)
            throw new TargetFailedException($"--port {port} is not a TCP port; give 1 to 65535, or 0 for any free one", 2);
        var address = host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(host.Trim('[', ']'), out var parsed) ? parsed
            : throw new TargetFailedException($"--host '{host}' is not an IP address; give one such as 127.0.0.1, ::1 or 0.0.0.0", 2);
        var loopback = IPAddress.IsLoopback(address);
        if (!loopback && string.IsNullOrEmpty(token))
            throw new TargetFailedException(
                $"--host {host} would open the dashboard (which starts and stops agents) beyond this machine; pass --token (or set TOKEN) to require it of every request, or bind 127.0.0.1", 2);
        return new ServeAddress(host, address, port, loopback);
    }
}
