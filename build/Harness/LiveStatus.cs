using System.ComponentModel;
using System.Text.Json;
using Orchestrator.Fleet;

namespace Orchestrator.Harness;

/// <summary>What a project's harness says of its agents right now (from <c>status --json</c>), or why it could not say.</summary>
internal sealed record LiveStatus(int Running, int Total, string Watchdog, IReadOnlyList<string> Troubled, string? Error, JsonElement? Report)
{
    private static readonly string[] TroubleStates = ["dead", "crashloop"];

    /// <summary>Asks every project at once, each harness in its own process; no thread waits on one.</summary>
    public static async Task<IReadOnlyDictionary<string, LiveStatus>> GatherAsync(IEnumerable<FleetProject> projects)
    {
        var asked = projects.Where(p => p.Enabled && p.IsCloned).Select(p => (p.Name, Task: AskAsync(p))).ToList();
        await Task.WhenAll(asked.Select(a => a.Task));
        return asked.ToDictionary(a => a.Name, a => a.Task.Result);
    }

    private static async Task<LiveStatus> AskAsync(FleetProject project)
    {
        try
        {
            var result = await HarnessEntry.For(project.Directory).RunAsync(project.Directory, "status", "--json");
            if (!result.Succeeded)
                return Failed($"status exited {result.ExitCode}: {result.FirstErrorLine}");
            return Parse(result.Output);
        }
        catch (Exception e) when (e is TargetFailedException or JsonException or KeyNotFoundException or InvalidOperationException or Win32Exception)
        {
            return Failed(e.Message.Split('\n')[0]);
        }
    }

    public static LiveStatus Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var agents = root.GetProperty("agents").EnumerateArray()
            .Select(a => (Name: a.GetProperty("name").GetString()!, State: a.GetProperty("state").GetString()!))
            .ToList();
        var watchdog = root.TryGetProperty("watchdog", out var dog) && dog.TryGetProperty("state", out var state) ? state.GetString()! : "unknown";
        return new LiveStatus(
            agents.Count(a => a.State == "running"),
            agents.Count,
            watchdog,
            agents.Where(a => TroubleStates.Contains(a.State)).Select(a => $"{a.Name} {a.State}").ToList(),
            null,
            root.Clone());
    }

    private static LiveStatus Failed(string error) => new(0, 0, "unknown", [], error, null);

    public string Summary => Error is not null
        ? $"status failed: {Error}"
        : $"{Running}/{Total} agents running, watchdog {Watchdog}{(Troubled.Count == 0 ? "" : "; " + string.Join(", ", Troubled))}";
}
