using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orchestrator.Fleet;
using Orchestrator.Work;

namespace Orchestrator.Dashboard;

/// <summary>What the dashboard serves and how.</summary>
/// <param name="Clock">The server's notion of now: heartbeats are classified, and answers kept fresh, by it.</param>
/// <param name="Fresh">How long one gathering of the fleet answers every request after it ended.</param>
internal sealed record DashboardSettings(AbsolutePath FleetFile, ServeAddress Address, string? Token, TimeProvider Clock, TimeSpan Fresh)
{
    public static readonly TimeSpan DefaultFresh = TimeSpan.FromSeconds(1.5);

    /// <summary>How long an action request waits for the action's result before it answers that the action runs.</summary>
    public TimeSpan ActionPatience { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// The dashboard: Kestrel with a handful of routes, each a plain request delegate (no reflection, nothing for a code
/// generator to do: it publishes AOT-clean, docs/dashboard.md), the page and its two assets from the server's own
/// resources.
/// </summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    private const string ApiPrefix = "/api/v1";

    private readonly WebApplication _app;
    private readonly DashboardSettings _settings;
    private readonly RequestGuard _guard;
    private readonly ProjectActions _actions;
    private readonly CancellationTokenSource _stopping = new();
    private readonly byte[] _page;

    public SharedGather<FleetSnapshot> State { get; }

    /// <summary>The address it listens on, with the port Kestrel picked for port 0.</summary>
    public Uri Address { get; private set; } = null!;

    private DashboardServer(DashboardSettings settings)
    {
        _settings = settings;
        _guard = new RequestGuard(settings.Token, settings.Address.Loopback);
        _actions = new ProjectActions(settings.Clock, _stopping.Token);
        State = new SharedGather<FleetSnapshot>(() => FleetSnapshot.Gather(settings.FleetFile, settings.Clock), settings.Clock, settings.Fresh);
        _actions.Ended += project =>
        {
            State.Invalidate();
            Invalidate(_tasks, project);
            Invalidate(_history, project);
        };
        _page = Encoding.UTF8.GetBytes(Asset("index.html").Replace("{{csrf}}", _guard.CsrfToken));

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(settings.Address.Address, settings.Address.Port);
        });
        _app = builder.Build();
        _app.Use(Guarded);
        _app.MapGet("/", new RequestDelegate(Page));
        _app.MapGet("/assets/{file}", new RequestDelegate(AssetFile));
        _app.MapGet($"{ApiPrefix}/state", new RequestDelegate(FleetState));
        _app.MapGet($"{ApiPrefix}/projects/{{name}}", new RequestDelegate(ProjectState));
        _app.MapGet($"{ApiPrefix}/projects/{{name}}/tasks", new RequestDelegate(ProjectTasks));
        _app.MapGet($"{ApiPrefix}/projects/{{name}}/history", new RequestDelegate(ProjectHistory));
        _app.MapPost($"{ApiPrefix}/projects/{{name}}/{{action}}", new RequestDelegate(ProjectAction));
        _app.MapFallback(new RequestDelegate(context => Error(context, StatusCodes.Status404NotFound, $"no such page or API route: {context.Request.Method} {context.Request.Path}")));
    }

    public static async Task<DashboardServer> StartAsync(DashboardSettings settings)
    {
        var server = new DashboardServer(settings);
        await server._app.StartAsync();
        var bound = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Address = new Uri(bound.Replace("0.0.0.0", "127.0.0.1").Replace("[::]", "[::1]") + "/");
        return server;
    }

    /// <summary>Serve: until Ctrl-C (or SIGTERM), then stop the actions under way and close every connection.</summary>
    public static async Task ServeAsync(DashboardSettings settings, TextWriter output, CancellationToken stop)
    {
        await using var server = await StartAsync(settings);
        output.WriteLine($"Serving the fleet's dashboard at {server.Address} (Ctrl-C stops it)");
        if (settings.Token is not null)
            output.WriteLine("Every request needs the token: open the address above with ?token=TOKEN once, or send 'Authorization: Bearer TOKEN'");
        output.Flush();
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
            output.WriteLine("Stopping the dashboard");
        }
    }

    /// <summary>Stops the actions under way and waits for them (a cycle stops its workers and queues their tasks again), then Kestrel.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _actions.StoppedAsync(TimeSpan.FromSeconds(15));
        using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
            await _app.StopAsync(patience.Token);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task Guarded(HttpContext context, RequestDelegate next)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        if (_guard.Check(context.Request) is { } refusal)
        {
            await Error(context, refusal.Status, refusal.Message);
            return;
        }
        if (_guard.IsTokenHandover(context.Request))
        {
            context.Response.Cookies.Append(RequestGuard.TokenCookie, _settings.Token!, _guard.TokenCookieOptions(context.Request));
            context.Response.Redirect(context.Request.PathBase + context.Request.Path);
            return;
        }
        await next(context);
    }

    private async Task Page(HttpContext context)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
        await context.Response.Body.WriteAsync(_page);
    }

    private static readonly Dictionary<string, string> AssetTypes = new()
    {
        ["dashboard.js"] = "text/javascript; charset=utf-8",
        ["dashboard.css"] = "text/css; charset=utf-8",
    };

    private static readonly Dictionary<string, byte[]> Assets = AssetTypes.Keys.ToDictionary(file => file, file => Encoding.UTF8.GetBytes(Asset(file)));

    private static async Task AssetFile(HttpContext context)
    {
        var file = (string)context.Request.RouteValues["file"]!;
        if (!AssetTypes.TryGetValue(file, out var type))
        {
            await Error(context, StatusCodes.Status404NotFound, $"no asset '{file}'");
            return;
        }
        context.Response.ContentType = type;
        await context.Response.Body.WriteAsync(Assets[file]);
    }

    /// <summary>The state's answer as sent, for the snapshot, the actions and the second it was made in.</summary>
    private sealed record StateAnswer(FleetSnapshot Snapshot, int Actions, long Second, byte[] Body);

    private StateAnswer? _stateAnswer;

    /// <summary>
    /// Made once per second at most (the heartbeats' classes change by the second), then sent as it was to every page
    /// that polls meanwhile: under many clients the server copies bytes instead of serializing the fleet each time.
    /// </summary>
    private async Task FleetState(HttpContext context)
    {
        if (await SnapshotOrError(context) is not { } snapshot)
            return;
        var now = _settings.Clock.GetUtcNow();
        var answer = _stateAnswer;
        if (answer is null || !ReferenceEquals(answer.Snapshot, snapshot) || answer.Actions != _actions.Version || answer.Second != now.ToUnixTimeSeconds())
        {
            var actions = _actions.Version;
            var body = JsonSerializer.SerializeToUtf8Bytes(snapshot.State(now, _actions.Last), DashboardJson.Default.StateDocument);
            _stateAnswer = answer = new StateAnswer(snapshot, actions, now.ToUnixTimeSeconds(), body);
        }
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(answer.Body);
    }

    private async Task ProjectState(HttpContext context)
    {
        if (await SnapshotOrError(context) is not { } snapshot || await Known(context, snapshot) is not { } status)
            return;
        var summary = snapshot.Summary(status, _settings.Clock.GetUtcNow(), _actions.Last(status.Project.Name));
        await Json(context, StatusCodes.Status200OK, summary, DashboardJson.Default.ProjectSummary);
    }

    private async Task ProjectTasks(HttpContext context)
    {
        if (await SnapshotOrError(context) is not { } snapshot || await Known(context, snapshot) is not { } status)
            return;
        var reply = await Shared(_tasks, status.Project, (project, stop) => Work.ProjectWork.TasksAsync(project, cancel: stop)).GetAsync();
        await WorkReply(context, reply, tasks => new TasksDocument(status.Project.Name, true, tasks), DashboardJson.Default.TasksDocument,
            new TasksDocument(status.Project.Name, false, []));
    }

    private async Task ProjectHistory(HttpContext context)
    {
        if (await SnapshotOrError(context) is not { } snapshot || await Known(context, snapshot) is not { } status)
            return;
        var reply = await Shared(_history, status.Project, (project, stop) => Work.ProjectWork.HistoryAsync(project, cancel: stop)).GetAsync();
        await WorkReply(context, reply, cycles => new HistoryDocument(status.Project.Name, true, cycles), DashboardJson.Default.HistoryDocument,
            new HistoryDocument(status.Project.Name, false, []));
    }

    private readonly ConcurrentDictionary<string, SharedGather<Work.WorkReply<IReadOnlyList<Work.WorkTask>>>> _tasks = new();
    private readonly ConcurrentDictionary<string, SharedGather<Work.WorkReply<IReadOnlyList<Work.CycleRecord>>>> _history = new();

    private static void Invalidate<T>(ConcurrentDictionary<string, SharedGather<T>> answers, string project) where T : class
    {
        foreach (var (key, answer) in answers)
            if (key.StartsWith(project + "\n", StringComparison.Ordinal))
                answer.Invalidate();
    }

    /// <summary>A project's tasks or history, asked of its harness once for every page that shows the project, as the fleet's state is.</summary>
    private SharedGather<T> Shared<T>(ConcurrentDictionary<string, SharedGather<T>> answers, FleetProject project, Func<FleetProject, CancellationToken, Task<T>> ask)
        where T : class =>
        answers.GetOrAdd($"{project.Name}\n{project.Directory}",
            _ => new SharedGather<T>(() => ask(project, _stopping.Token).GetAwaiter().GetResult(), _settings.Clock, _settings.Fresh));

    private async Task ProjectAction(HttpContext context)
    {
        var action = (string)context.Request.RouteValues["action"]!;
        if (!ProjectActions.Names.Contains(action))
        {
            await Error(context, StatusCodes.Status404NotFound, $"no action '{action}'; the actions are {string.Join(", ", ProjectActions.Names)}");
            return;
        }
        if (await SnapshotOrError(context) is not { } snapshot || await Known(context, snapshot) is not { } status)
            return;
        var noPlan = context.Request.Query.TryGetValue("no_plan", out var value) && value.ToString() is "true" or "1";
        var run = _actions.Start(status.Project, action, noPlan);
        if (run is null)
        {
            var busy = _actions.Last(status.Project.Name)!;
            await Json(context, StatusCodes.Status409Conflict,
                busy with { Message = $"{busy.Action} is still running on '{status.Project.Name}' (started {busy.Started:u}); wait for it to end" },
                DashboardJson.Default.ActionDocument);
            return;
        }
        await Task.WhenAny(run, Task.Delay(_settings.ActionPatience, _settings.Clock, context.RequestAborted));
        var document = run.IsCompletedSuccessfully ? run.Result : _actions.Last(status.Project.Name)!;
        var code = document.State switch
        {
            "running" => StatusCodes.Status202Accepted,
            "succeeded" => StatusCodes.Status200OK,
            "refused" => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status500InternalServerError,
        };
        await Json(context, code, document, DashboardJson.Default.ActionDocument);
    }

    private static async Task WorkReply<T, TDocument>(HttpContext context, Work.WorkReply<T> reply, Func<T, TDocument> document,
        JsonTypeInfo<TDocument> type, TDocument none) where T : class
    {
        switch (reply.Outcome)
        {
            case Work.WorkOutcome.Done:
                await Json(context, StatusCodes.Status200OK, document(reply.Value!), type);
                break;
            case Work.WorkOutcome.NoWorkCycles:
                await Json(context, StatusCodes.Status200OK, none, type);
                break;
            default:
                await Error(context, StatusCodes.Status502BadGateway, reply.Message);
                break;
        }
    }

    /// <summary>The fleet as last gathered; on failure (fleet.toml unreadable, say) the request gets the one-line reason.</summary>
    private async Task<FleetSnapshot?> SnapshotOrError(HttpContext context)
    {
        try
        {
            return await State.GetAsync();
        }
        catch (TargetFailedException e)
        {
            await Error(context, StatusCodes.Status503ServiceUnavailable, e.Message);
            return null;
        }
    }

    private static async Task<ProjectStatus?> Known(HttpContext context, FleetSnapshot snapshot)
    {
        var name = (string)context.Request.RouteValues["name"]!;
        if (snapshot.Find(name) is { } status)
            return status;
        await Error(context, StatusCodes.Status404NotFound, $"no project '{name}' in {snapshot.Registry.DisplayName}");
        return null;
    }

    private static Task Json<T>(HttpContext context, int status, T value, JsonTypeInfo<T> type)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(value, type, "application/json; charset=utf-8");
    }

    private static Task Error(HttpContext context, int status, string message) =>
        Json(context, status, new ErrorDocument(message), DashboardJson.Default.ErrorDocument);

    private static string Asset(string file)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"dashboard/{file}")
            ?? throw new InvalidOperationException($"the runbook was built without its dashboard asset {file}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
