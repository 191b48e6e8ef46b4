using Orchestrator.Fleet;
using Orchestrator.GitHub;
using Orchestrator.Output;
using Orchestrator.Processes;

namespace Orchestrator;

partial class Build
{
    [Parameter("GitHub's API URL (default: https://api.github.com; for another host, GitHub Enterprise at URL/api/v3/)")]
    readonly string? GithubApi;

    [Parameter("The GitHub token for GitHub operations (default: the GITHUB_TOKEN environment variable)")]
    [Secret]
    readonly string? GithubToken;

    [Parameter("CreateProject: also create the repository on GitHub for this owner (a user or an organisation) and push main; FleetStatus: each project's open engine pull request and its CI")]
    readonly string[]? Github;

    [Parameter("CreateProject --github: make the GitHub repository private")]
    readonly bool Private;

    [Parameter("UpdateEngine: push a branch engine/bump-REF and open (or update) a pull request to the default branch, instead of committing to main")]
    readonly bool PullRequest;

    [Parameter("SyncFleet: also fast-forward projects that are clean and only behind their upstream")]
    readonly bool Pull;

    Target SyncFleet => _ => _
        .Description("Clone every registered project missing locally from its remote (with submodules), fetch the others; --pull fast-forwards clean ones")
        .Requires(() => Parallel >= 1)
        .Executes(() =>
        {
            var registry = LoadFleet();
            var projects = registry.Select(Project, Tag);
            var done = 0;
            var results = PerProject.Run(projects, Parallel, project =>
            {
                var result = new FleetSync(project, registry.Folder, GithubToken).Run(Pull, DryRun);
                Console.Error.WriteLine($"SyncFleet: {project.Name} done ({Interlocked.Increment(ref done)} of {projects.Count})");
                return result;
            });
            foreach (var result in results)
                Console.WriteLine($"{result.Project}: {result.Message}");
            var failed = results.Where(r => r.Outcome == SyncOutcome.Failed).Select(r => r.Project).ToList();
            if (failed.Count > 0)
                throw new TargetFailedException($"{failed.Count} of {results.Length} could not be synced; fix what is said above, then run again: {ShellWords.Runbook("SyncFleet", ("--project", failed))}");
        });

    /// <summary>The owner CreateProject --github names, or null without --github.</summary>
    string? GitHubOwner => Github switch
    {
        null => Private ? throw new TargetFailedException("--private applies to the repository --github OWNER creates; add --github OWNER or drop --private", 2) : null,
        [var owner] when owner.Length > 0 => owner,
        _ => throw new TargetFailedException("--github takes the owner of the new repository, a user or an organisation: --github OWNER", 2),
    };

    GitHubBridge GitHubBridge(string purpose) => new(RootDirectory, GitHubAccess.Require(GithubApi, GithubToken, purpose), Console.Error);

    /// <summary>Checks the token before anything is changed: a refusal is one line and exit 2.</summary>
    static void CheckToken(GitHubBridge bridge, string purpose)
    {
        try
        {
            bridge.Call(BridgeJson.Default.GitHubAccount, "account", []);
        }
        catch (GitHubException e)
        {
            throw new TargetFailedException($"{purpose}: {e.Message}; nothing was changed", 2);
        }
    }
}
