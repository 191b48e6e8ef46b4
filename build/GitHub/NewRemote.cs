using Orchestrator.Git;
using Orchestrator.Output;
using Orchestrator.Projects;

namespace Orchestrator.GitHub;

/// <summary>
/// CreateProject --github: the new project's GitHub repository, made and pushed as steps of its pipeline. Undone after a
/// later failure only when this run created it and it is still empty; otherwise it is left, with how to finish by hand.
/// </summary>
internal sealed class NewRemote
{
    private readonly GitHubBridge _bridge;
    private readonly RepositoryName _repository;
    private readonly bool _private;
    private GitHubRepository? _created;

    private NewRemote(GitHubBridge bridge, RepositoryName repository, bool isPrivate)
    {
        _bridge = bridge;
        _repository = repository;
        _private = isPrivate;
    }

    /// <summary>The repository's clone URL once created (the project's remote); null before.</summary>
    public string? CloneUrl => _created?.CloneUrl;

    /// <summary>The clone URL GitHub gives such a repository (https://github.com/OWNER/NAME.git, or the Enterprise host's), for a dry run.</summary>
    public string ExpectedCloneUrl
    {
        get
        {
            var api = new Uri(_bridge.Access.Api);
            var host = api.Host == "api.github.com" ? "github.com" : api.Authority;
            return $"{api.Scheme}://{host}/{_repository}.git";
        }
    }

    public RepositoryName Repository => _repository;

    /// <summary>Checks, before anything is made, that the token is accepted (the look-up needs it) and OWNER/NAME does not exist yet.</summary>
    public static NewRemote Prepare(GitHubBridge bridge, string owner, string name, bool isPrivate)
    {
        var repository = new RepositoryName(owner, name);
        try
        {
            var existing = bridge.Call(BridgeJson.Default.GitHubRepository, "repository", ["--owner", owner, "--repository", name]);
            throw new TargetFailedException($"{repository} already exists on GitHub ({existing.HtmlUrl}); choose another --name, or create the project without --github", 2);
        }
        catch (GitHubException e) when (e.Kind == "not-found")
        {
            return new NewRemote(bridge, repository, isPrivate);
        }
        catch (GitHubException e)
        {
            throw new TargetFailedException($"--github {owner}: {e.Message}; nothing was changed", 2);
        }
    }

    public IEnumerable<Step> Steps(AbsolutePath folder) =>
    [
        new("create the GitHub repository", $"a {(_private ? "private" : "public")} repository {_repository} through {_bridge.Access.Api}", Create),
        new("push main to GitHub", $"git -C {folder} remote add origin <its clone URL> && git push -u origin main", () => Push(folder)),
    ];

    private void Create() =>
        _created = _bridge.Call(BridgeJson.Default.GitHubRepository, "create-repository",
            ["--owner", _repository.Owner, "--repository", _repository.Name, .. _private ? new[] { "--private" } : []]);

    private void Push(AbsolutePath folder)
    {
        var url = CloneUrl ?? throw new InvalidOperationException("the repository was not created");
        GitCli.Run(folder, "remote", "add", "origin", url);
        GitCli.Run(folder, ["push", "-q", "-u", "origin", "main"], GitHubAccess.GitCredentials(url, _bridge.Access.Token));
    }

    /// <summary>After a later step failed: deletes the repository if this run created it and nothing is in it. Says what became of it; null when none was created.</summary>
    public RemoteUndo? Undo(AbsolutePath directory)
    {
        if (_created is not { } created)
            return null;
        try
        {
            var removal = _bridge.Call(BridgeJson.Default.RepositoryRemoval, "delete-repository-if-empty", ["--owner", _repository.Owner, "--repository", _repository.Name]);
            return removal.Deleted ? new RemoteUndo(false, $"the GitHub repository {_repository} deleted") : Left(created, removal.Reason, directory);
        }
        catch (GitHubException e)
        {
            return Left(created, e.Message, directory);
        }
    }

    private RemoteUndo Left(GitHubRepository created, string reason, AbsolutePath directory) => new(true,
        $"the GitHub repository {_repository} was left ({reason}): to finish by hand, git clone --recurse-submodules {ShellWords.Quote(created.CloneUrl)} {ShellWords.Quote(directory)}, " +
        $"{ShellWords.Runbook("RegisterProject", ("--name", [_repository.Name]), ("--location", [directory]))} and add remote = \"{created.CloneUrl}\" to its entry; or delete it on GitHub ({created.HtmlUrl}/settings)");
}

/// <param name="Left">True when the repository stays on GitHub; <paramref name="Account"/> then says how to finish by hand.</param>
internal sealed record RemoteUndo(bool Left, string Account);
