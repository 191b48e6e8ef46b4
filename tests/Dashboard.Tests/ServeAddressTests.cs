using Orchestrator.Dashboard;
using Runbook;

namespace Dashboard.Tests;

public sealed class ServeAddressTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("::1")]
    [InlineData("[::1]")]
    public void Loopback_needs_no_token(string host) => Assert.True(ServeAddress.Parse(host, 8080, null).Loopback);

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("192.168.1.20")]
    public void Any_other_address_needs_a_token(string host)
    {
        var refused = Assert.Throws<TargetFailedException>(() => ServeAddress.Parse(host, 8080, null));
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal($"--host {host} would open the dashboard (which starts and stops agents) beyond this machine; pass --token (or set TOKEN) to require it of every request, or bind 127.0.0.1", refused.Message);
        Assert.False(ServeAddress.Parse(host, 8080, "a-token").Loopback);
    }

    [Theory]
    [InlineData("example.com", 8080, "--host 'example.com' is not an IP address; give one such as 127.0.0.1, ::1 or 0.0.0.0")]
    [InlineData("127.0.0.1", 70000, "--port 70000 is not a TCP port; give 1 to 65535, or 0 for any free one")]
    public void Bad_input_is_refused_in_one_line(string host, int port, string message)
    {
        var refused = Assert.Throws<TargetFailedException>(() => ServeAddress.Parse(host, port, null));
        Assert.Equal((2, message), (refused.ExitCode, refused.Message));
    }
}
