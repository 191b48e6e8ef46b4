using System.Diagnostics;
using System.Net;
using Orchestrator.Dashboard;
using TestSupport;

namespace Dashboard.Tests;

/// <summary>The Serve target as an operator runs it, and the token that guards a dashboard open beyond loopback.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ServeTests(DashboardFleet fleet)
{
    /// <summary>The runbook as built for these tests (the JIT build), run from this checkout.</summary>
    private static ProcessStartInfo Runbook(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "_build.dll"), .. arguments, "--no-logo"])
            start.ArgumentList.Add(argument);
        return start;
    }

    [Fact]
    public async Task A_host_beyond_loopback_is_refused_without_a_token()
    {
        using var process = Process.Start(Runbook("Serve", "--host", "0.0.0.0", "--port", "0", "--fleet", fleet.FleetFile))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("error: Serve: --host 0.0.0.0 would open the dashboard (which starts and stops agents) beyond this machine; pass --token", error);
        Assert.DoesNotContain("Serving", await output);
    }

    /// <summary>Serve builds the server program on first use (into this checkout's .nuke/temp/dashboard/), then runs it.</summary>
    [Fact]
    public async Task Ctrl_C_stops_the_server_cleanly()
    {
        using var process = Process.Start(Runbook("Serve", "--port", "0", "--fleet", fleet.FleetFile))!;
        try
        {
            var error = process.StandardError.ReadToEndAsync();
            string? line;
            while ((line = await process.StandardOutput.ReadLineAsync()) is not null && !line.StartsWith("Serving"))
            {
            }
            Assert.NotNull(line);
            var address = line!.Split(' ').Single(w => w.StartsWith("http://"));
            using var http = new HttpClient();
            Assert.Contains("\"projects\"", await http.GetStringAsync(address + "api/v1/state"));

            Shell.Run(RepositoryRoot.Path, "kill", ["-INT", process.Id.ToString()]);
            var rest = await process.StandardOutput.ReadToEndAsync();
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "Serve did not stop on SIGINT");
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("Stopping the dashboard", rest);
            Assert.DoesNotContain("Serve: aborted", await error);
            await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync(address + "api/v1/state"));
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task With_a_token_every_request_needs_it_and_the_page_gets_it_once_from_the_address()
    {
        await using var server = await DashboardServer.StartAsync(fleet.Settings(token: "s3cret-token"));
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = server.Address };

        using var bare = await http.GetAsync("/api/v1/state");
        Assert.Equal(HttpStatusCode.Unauthorized, bare.StatusCode);
        Assert.Contains("needs its token", await bare.Content.ReadAsStringAsync());
        using var page = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/v1/state") { Headers = { { "Authorization", "Bearer nope" } } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/v1/state") { Headers = { { "Authorization", "Bearer s3cret-token" } } };
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(bearer)).StatusCode);

        // The first visit with ?token= sets a cookie and sends the browser on without the token in its address.
        using var handover = await http.GetAsync("/?token=s3cret-token");
        Assert.Equal(HttpStatusCode.Redirect, handover.StatusCode);
        Assert.Equal("/", handover.Headers.Location!.OriginalString);
        var cookie = handover.Headers.GetValues("Set-Cookie").Single();
        Assert.StartsWith("dashboard_token=s3cret-token;", cookie);
        Assert.Contains("httponly", cookie);
        Assert.Contains("samesite=strict", cookie);
        using var withCookie = new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { { "Cookie", "dashboard_token=s3cret-token" } } };
        using var shown = await http.SendAsync(withCookie);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Contains("csrf-token", await shown.Content.ReadAsStringAsync());

        // The token is not a CSRF token: a POST needs both.
        using var post = new HttpRequestMessage(HttpMethod.Post, "/api/v1/projects/api/stop") { Headers = { { "Cookie", "dashboard_token=s3cret-token" } } };
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(post)).StatusCode);
    }

    [Fact]
    public async Task Without_a_token_only_requests_to_loopback_are_answered()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/state");
        request.Headers.Host = "attacker.example";
        using var response = await fleet.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
        Assert.Contains("only requests to 127.0.0.1", await response.Content.ReadAsStringAsync());
    }
}
