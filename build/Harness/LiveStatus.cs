using System.ComponentModel;
using System.Text.Json;
using Orchestrator.Fleet;

namespace Orchestrator.Harness;

/// <summary>What a project's harness says of its agents right now (from <c>status --json</c>), or why it could not say.</summary>
/// <param name="Work">The state of its work cycles; null when it has none (or the harness could not say: see <see cref="Error"/>).</param>
internal sealed record LiveStatus(int Running, int Total, string Watchdog, IReadOnlyList<string> Troubled, string? Error, JsonElement? Report, WorkStatus? Work)
{
    private static readonly string[] TroubleStates = ["dead", "crashloop"];

    /// <summary>
    /// Asks every project at once, no thread waiting on a harness. Projects that vendor the same engine version are
    /// asked in one call (<c>status --json --config a --config b ...</c>): a harness process costs far more to start
    /// than to answer. Any other project, or a group whose harness cannot answer for several, is asked alone.
    /// </summary>
    public static Task<IReadOnlyDictionary<string, LiveStatus>> GatherAsync(IEnumerable<FleetProject> projects) =>
        AskAsync(projects.Where(p => p.Enabled && p.IsCloned));

    /// <summary>Asks every project given, enabled or not; each answers for its agents.toml as the harness loads it.</summary>
    /// <param name="progress">Where the harnesses' stderr goes as it comes (a first use says it builds the engine); null drops it.</param>
    public static async Task<IReadOnlyDictionary<string, LiveStatus>> AskAsync(IEnumerable<FleetProject> projects, TextWriter? progress = null)
    {
        var groups = projects.GroupBy(EngineVersion).ToList();
        var asked = groups.Select(g => g.Key is null || g.Count() == 1 ? AskEachAsync(g.ToList(), progress) : AskTogetherAsync(g.ToList(), progress)).ToList();
        var answers = await Task.WhenAll(asked);
        return answers.SelectMany(a => a).ToDictionary();
    }

    private static async Task<IEnumerable<KeyValuePair<string, LiveStatus>>> AskEachAsync(IReadOnlyList<FleetProject> projects, TextWriter? progress)
    {
        var answers = await Task.WhenAll(projects.Select(p => AskAsync(p, progress)));
        return projects.Select((p, i) => KeyValuePair.Create(p.Name, answers[i]));
    }

    private static async Task<IEnumerable<KeyValuePair<string, LiveStatus>>> AskTogetherAsync(IReadOnlyList<FleetProject> projects, TextWriter? progress)
    {
        try
        {
            var configs = projects.SelectMany(p => new[] { "--config", (string)(p.Directory / "agents.toml") }).ToArray();
            var result = await HarnessEntry.For(projects[0].Directory).RunAsync(projects[0].Directory, ["status", "--json", .. configs], progress, CancellationToken.None);
            if (result.Succeeded)
            {
                using var document = JsonDocument.Parse(result.Output);
                var reports = document.RootElement.EnumerateArray().ToList();
                if (reports.Count == projects.Count)
                    return projects.Select((p, i) => KeyValuePair.Create(p.Name, Parse(reports[i]))).ToList();
            }
        }
        catch (Exception e) when (e is TargetFailedException or JsonException or KeyNotFoundException or InvalidOperationException or Win32Exception)
        {
            // An engine that predates batch status, or one broken config: ask each project alone, so each gets its own answer.
        }
        return await AskEachAsync(projects, progress);
    }

    /// <summary>The engine version a project vendors (engine/VERSION), or null for a harness that does not say.</summary>
    private static string? EngineVersion(FleetProject project)
    {
        var version = project.Directory / "engine" / "VERSION";
        return (project.Directory / "engine" / "agents").FileExists() && version.FileExists() ? File.ReadAllText(version).Trim() : null;
    }

    private static async Task<LiveStatus> AskAsync(FleetProject project, TextWriter? progress)
    {
        try
        {
            var result = await HarnessEntry.For(project.Directory).RunAsync(project.Directory, ["status", "--json"], progress, CancellationToken.None);
            if (!result.Succeeded)
                return Failed($"status exited {result.ExitCode}: {result.FirstErrorLine}");
            using var document = JsonDocument.Parse(result.Output);
            return Parse(document.RootElement);
        }
        catch (Exception e) when (e is TargetFailedException or JsonException or KeyNotFoundException or InvalidOperationException or Win32Exception)
        {
            return Failed(e.Message.Split('\n')[0]);
        }
    }

    public static LiveStatus Parse(JsonElement root)
    {
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
            root.Clone(),
            WorkStatus.Parse(root));
    }

    private static LiveStatus Failed(string error) => new(0, 0, "unknown", [], error, null, null);

    public string Summary => Error is not null
        ? $"status failed: {Error}"
        : $"{Running}/{Total} agents running, watchdog {Watchdog}{(Troubled.Count == 0 ? "" : "; " + string.Join(", ", Troubled))}";
}
