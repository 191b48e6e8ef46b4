using Orchestrator.Git;
using Orchestrator.Output;

namespace Orchestrator.Fleet;

/// <summary>Whether a project's engine/ submodule is what the registry says: the right repository, pinned at the commit its ref names.</summary>
internal static class EngineCheck
{
    public const string SubmodulePath = "engine";

    /// <summary>What is wrong with the project's engine, each as a sentence with what to do; empty when in sync.</summary>
    public static IReadOnlyList<string> Problems(FleetProject project, AbsolutePath fleetFolder, RemoteRefsCache refs)
    {
        var repository = new Repository(project.Directory);
        var engine = repository.Submodules().FirstOrDefault(s => s.Path == SubmodulePath);
        var wantedUrl = project.ResolvedEngineUrl(fleetFolder);
        if (engine is null)
            return [$"engine/ is not a submodule; add it with: git submodule add {ShellWords.Quote(wantedUrl)} engine"];

        var problems = new List<string>();
        var actualUrl = EngineUrls.Resolve(engine.Url, project.Directory);
        if (!EngineUrls.SameRepository(actualUrl, wantedUrl))
            problems.Add($"engine/ comes from {engine.Url} but fleet.toml says engine_url = \"{project.EngineUrl}\"; fix one (git submodule set-url engine {ShellWords.Quote(wantedUrl)})");

        var pinned = repository.PinnedCommit(SubmodulePath);
        if (pinned is null)
            return [.. problems, "engine/ has no commit recorded at HEAD; commit the submodule"];

        RemoteRefs engineRefs;
        try
        {
            engineRefs = refs.For(wantedUrl);
        }
        catch (GitException e)
        {
            return [.. problems, $"the engine repository {project.EngineUrl} cannot be read ({e.Message}); check engine_url and your access"];
        }
        var wanted = engineRefs.Resolve(project.Ref);
        if (wanted is null)
            problems.Add($"ref '{project.Ref}' does not exist in {project.EngineUrl}; nearest tags: {string.Join(", ", engineRefs.Nearest(project.Ref).DefaultIfEmpty("(none)"))}");
        else if (wanted != pinned)
            problems.Add($"engine pinned at {Describe(pinned, engineRefs)} but fleet.toml says {project.Ref}; run {ShellWords.Runbook("UpdateEngine", ("--project", [project.Name]), ("--ref", [project.Ref]))}, or set ref to the pinned version");
        return problems;
    }

    /// <summary>A commit as "1a2b3c4 (v0.1.0)", or just the short id when no tag points at it.</summary>
    public static string Describe(string commit, RemoteRefs refs)
    {
        var tags = refs.TagsAt(commit).ToList();
        return tags.Count == 0 ? commit[..7] : $"{commit[..7]} ({string.Join(", ", tags)})";
    }
}
