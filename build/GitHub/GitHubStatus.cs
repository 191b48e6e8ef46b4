using Orchestrator.Fleet;
using Orchestrator.Git;
using Orchestrator.Processes;

namespace Orchestrator.GitHub;

/// <summary>
/// FleetStatus --github, one project: its open engine pull request and that pull request's combined CI status, and the
/// engine pin on GitHub's default branch against fleet.toml's ref, so a merged bump shows until the registry records it.
/// </summary>
/// <param name="EnginePin">The pin on the default branch, as its tags and short id; null when the branch has no engine/ submodule.</param>
/// <param name="PinMatchesRef">Whether that pin is the commit fleet.toml's ref names; null when either cannot be read.</param>
/// <param name="Error">Why GitHub could not be asked, as one line (no GitHub remote, not found, refused).</param>
internal sealed record GitHubFacts(
    string? Repository,
    string? DefaultBranch,
    string? EnginePin,
    bool? PinMatchesRef,
    GitHubPullRequest? PullRequest,
    string? Ci,
    string? Error)
{
    /// <summary>One line for people.</summary>
    public string Summary(FleetProject project)
    {
        if (Error is not null)
            return Error;
        var parts = new List<string>
        {
            PullRequest is { } pr ? $"engine pull request #{pr.Number} \"{pr.Title}\", CI {Ci ?? "unknown"}: {pr.HtmlUrl}" : "no open engine pull request",
        };
        if (PinMatchesRef == false)
            parts.Add($"{DefaultBranch} pins the engine at {EnginePin}, not fleet.toml's ref {project.Ref} (a merged bump?): ./build.sh SyncFleet --pull --project {project.Name}, then UpdateEngine --project {project.Name} --ref <that version> records it");
        else if (EnginePin is null)
            parts.Add($"{DefaultBranch} has no engine/ submodule");
        return string.Join("; ", parts);
    }

    public static IReadOnlyDictionary<string, GitHubFacts> Gather(IReadOnlyList<FleetProject> projects, GitHubBridge bridge, AbsolutePath fleetFolder, int parallel)
    {
        var refs = new RemoteRefsCache(fleetFolder);
        var facts = PerProject.Run(projects, parallel, project => Read(project, bridge, fleetFolder, refs));
        return projects.Zip(facts).ToDictionary(pair => pair.First.Name, pair => pair.Second);
    }

    private static GitHubFacts Read(FleetProject project, GitHubBridge bridge, AbsolutePath fleetFolder, RemoteRefsCache refs)
    {
        if (RepositoryName.FromRemote(project.Remote) is not { } repository)
            return Failed(null, "no GitHub remote in fleet.toml");
        EngineOnGitHub engine;
        try
        {
            engine = bridge.Call(BridgeJson.Default.EngineOnGitHub, "engine-status",
                ["--owner", repository.Owner, "--repository", repository.Name, "--path", EngineCheck.SubmodulePath, "--head-prefix", EnginePullRequest.BranchPrefix], project.Name);
        }
        catch (GitHubException e)
        {
            return Failed(repository, $"{repository}: {e.Message}");
        }
        string? pin = null;
        bool? matches = null;
        if (engine.PinnedCommit is { } pinned)
        {
            try
            {
                var engineRefs = refs.For(project.ResolvedEngineUrl(fleetFolder));
                var tags = engineRefs.TagsAt(pinned).ToList();
                pin = tags.Count == 0 ? pinned[..7] : $"{string.Join(", ", tags)} ({pinned[..7]})";
                matches = engineRefs.Resolve(project.Ref) is { } expected ? expected == pinned : null;
            }
            catch (GitException)
            {
                pin = pinned[..7];
            }
        }
        return new GitHubFacts(repository.ToString(), engine.DefaultBranch, pin, matches, engine.PullRequest, engine.CiState, null);
    }

    private static GitHubFacts Failed(RepositoryName? repository, string error) => new(repository?.ToString(), null, null, null, null, null, error);
}
