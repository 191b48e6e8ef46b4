using System.Text.Json;
using Microsoft.Playwright;
using TestSupport;

namespace Dashboard.Tests;

/// <summary>
/// One headless Chromium for the browser tests, driven by Playwright: the system's (Debian's /usr/bin/chromium, or
/// chromium on PATH as nix's shell puts it), never a browser Playwright would download.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public static readonly string Executable = new[] { "/usr/bin/chromium" }
        .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "chromium")))
        .FirstOrDefault(File.Exists) ?? "/usr/bin/chromium";

    private IPlaywright? _playwright;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            ChromiumSandbox = false,
            Args = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.CloseAsync();
        _playwright?.Dispose();
    }
}

/// <summary>The page in a real headless Chromium, over the real fleet of <see cref="DashboardFleet"/>.</summary>
[Collection(DashboardCollection.Name)]
public sealed class BrowserTests(DashboardFleet fleet, Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    /// <summary>Where the tests save their screenshots (docs/dashboard.png is one of them).</summary>
    public static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");

    private IBrowserContext _context = null!;
    private IPage _page = null!;

    public async Task InitializeAsync()
    {
        _context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 720 } });
        _page = await _context.NewPageAsync();
        _page.SetDefaultTimeout(60_000);
    }

    public async Task DisposeAsync() => await _context.CloseAsync();

    private ILocator Row(string project) => _page.Locator($"#fleet tbody tr[data-project=\"{project}\"]");

    [Fact]
    public async Task The_page_lists_the_fleet()
    {
        await _page.GotoAsync(fleet.Server.Address.ToString());

        await Assertions.Expect(_page.Locator("#fleet tbody tr")).ToHaveCountAsync(6);
        Assert.Equal(["web", "api", "work", "slow", "idle", "away"],
            await _page.Locator("#fleet tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.project)"));
        await Assertions.Expect(Row("idle").Locator("td").Nth(1)).ToHaveTextAsync("no");
        await Assertions.Expect(Row("away").Locator("td").Nth(2).Locator(".badge")).ToHaveTextAsync("not cloned");
        await Assertions.Expect(Row("work").Locator(".badge.heartbeat")).ToHaveTextAsync("stopped");
        await Assertions.Expect(Row("api").Locator(".badge.heartbeat")).ToHaveTextAsync("no work cycles");
        await Assertions.Expect(_page.Locator("#totals")).ToContainTextAsync("6 projects (5 enabled)");

        // A project's view: its agents with their state, restarts and last output.
        await Row("api").ClickAsync();
        await Assertions.Expect(_page.Locator("#project-name")).ToHaveTextAsync("api");
        await Assertions.Expect(_page.Locator("#agents tbody tr[data-agent=sleeper] td").Nth(1)).ToHaveTextAsync("running");
    }

    [Fact]
    public async Task A_heartbeat_badge_turns_stale_as_the_heartbeat_ages()
    {
        await _page.GotoAsync(fleet.Server.Address + "#/projects/slow");
        await Assertions.Expect(_page.Locator("#project-name")).ToHaveTextAsync("slow");
        try
        {
            // Its worker waits ten minutes: the cycle runs, and the request answers that it does.
            await _page.Locator("button[data-action=cycle][data-no-plan]").ClickAsync();
            await Assertions.Expect(_page.Locator("#action-result")).ToContainTextAsync("cycle: running");
            await _page.GotoAsync(fleet.Server.Address.ToString());
            var badge = Row("slow").Locator(".badge.heartbeat");
            await Assertions.Expect(badge).ToHaveTextAsync("running");

            // Eleven minutes later by the server's clock: past the engine's stale_after (10 minutes).
            fleet.Clock.Ahead = TimeSpan.FromMinutes(11);
            await Assertions.Expect(badge).ToHaveTextAsync("stale");
            await Assertions.Expect(badge).ToHaveAttributeAsync("data-state", "stale");
            Directory.CreateDirectory(Screenshots);
            await _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "dashboard.png"), FullPage = true });
            Assert.True(new FileInfo(Path.Combine(Screenshots, "dashboard.png")).Length > 10_000);

            fleet.Clock.Ahead = TimeSpan.FromHours(2);
            await Assertions.Expect(badge).ToHaveTextAsync("stopped");
        }
        finally
        {
            fleet.Clock.Ahead = TimeSpan.Zero;
            await StopCycleAsync("slow");
        }
    }

    [Fact]
    public async Task The_stop_button_stops_a_projects_agents()
    {
        Assert.All(fleet.AgentStates("web").Values, state => Assert.Equal("running", state));
        await _page.GotoAsync(fleet.Server.Address + "#/projects/web");
        await Assertions.Expect(_page.Locator("#agents tbody tr")).ToHaveCountAsync(2);

        await _page.Locator("button[data-action=stop]").ClickAsync();

        await Assertions.Expect(_page.Locator("#action-result")).ToContainTextAsync("stop: succeeded");
        Assert.All(fleet.AgentStates("web").Values, state => Assert.Equal("stopped", state));
        await Assertions.Expect(_page.Locator("#agents tbody tr[data-agent=talker] td").Nth(1)).ToHaveTextAsync("stopped");
        await _page.GotoAsync(fleet.Server.Address.ToString());
        await Assertions.Expect(Row("web").Locator("td.agents")).ToHaveTextAsync("0/2");
        await Assertions.Expect(Row("web").Locator("td").Last).ToHaveTextAsync("stop: succeeded");
    }

    /// <summary>Ends the cycle the test started (SIGTERM: the engine stops its worker and queues its task again), and waits for the action to end.</summary>
    private async Task StopCycleAsync(string project)
    {
        var work = fleet.Status(project).GetProperty("work");
        if (work.GetProperty("cycle") is { ValueKind: JsonValueKind.Object } cycle)
            Shell.Run(fleet.Project(project), "kill", ["-TERM", cycle.GetProperty("pid").GetInt32().ToString()]);
        await Poll.UntilAsync(async () =>
        {
            var (_, state) = await fleet.GetAsync($"/api/v1/projects/{project}");
            return state.GetProperty("action") is { ValueKind: JsonValueKind.Object } action && action.GetProperty("state").GetString() != "running" ? (object)action : null;
        }, $"the cycle in {project} to end");
    }
}
