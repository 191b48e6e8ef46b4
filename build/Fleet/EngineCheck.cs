using Orchestrator.Git;
using Orchestrator.Output;

namespace Orchestrator.Fleet;

/// <summary>
/// Whether a project's engine/ submodule is what the registry says: the right repository, pinned at the commit its ref
/// names, and checked out at that pin with no local changes.
/// </summary>
internal static class EngineCheck
{
    public const string SubmodulePath = "engine";

    /// <summary>What is wrong with the project's engine, each as a sentence with what to do; empty when in sync.</summary>
    /// <param name="engine">The engine submodule's facts, read with the project's other git facts; null when it has none.</param>
    public static IReadOnlyList<string> Problems(FleetProject project, AbsolutePath fleetFolder, SubmoduleFacts? engine, RemoteRefsCache refs)
    {
        var wantedUrl = project.ResolvedEngineUrl(fleetFolder);
        if (engine?.Url is null)
            return [$"engine/ is not a submodule; add it with: git submodule add {ShellWords.Quote(wantedUrl)} engine"];

        var problems = new List<string>();
        var actualUrl = EngineUrls.Resolve(engine.Url, project.Directory);
        if (!EngineUrls.SameRepository(actualUrl, wantedUrl))
            problems.Add($"engine/ comes from {engine.Url} but fleet.toml says engine_url = \"{project.EngineUrl}\"; fix one (git submodule set-url engine {ShellWords.Quote(wantedUrl)})");

        RemoteRefs? engineRefs = null;
        try
        {
            engineRefs = refs.For(wantedUrl);
        }
        catch (GitException e)
        {
            problems.Add($"the engine repository {project.EngineUrl} cannot be read ({e.Message}); check engine_url and your access");
        }
        string Show(string commit) => engineRefs is null ? commit[..7] : Describe(commit, engineRefs);

        var pinned = engine.Recorded;
        if (pinned is null)
        {
            problems.Add(engine.Staged is null
                ? "engine/ has no commit recorded at HEAD; commit the submodule"
                : $"engine/ is staged at {Show(engine.Staged)} but not committed; commit it (git commit -- engine)");
            return problems;
        }
        if (engineRefs is not null)
        {
            var wanted = engineRefs.Resolve(project.Ref);
            if (wanted is null)
                problems.Add($"ref '{project.Ref}' does not exist in {project.EngineUrl}; nearest tags: {string.Join(", ", engineRefs.Nearest(project.Ref).DefaultIfEmpty("(none)"))}");
            else if (wanted != pinned)
                problems.Add($"engine pinned at {Show(pinned)} but fleet.toml says {project.Ref}; run {ShellWords.Runbook("UpdateEngine", ("--project", [project.Name]), ("--ref", [project.Ref]))}, or set ref to the pinned version");
        }
        problems.AddRange(CheckoutProblems(engine, pinned, Show));
        return problems;
    }

    /// <summary>
    /// Whether engine/ as checked out is the pin HEAD records: a new pin staged but not committed, another commit checked
    /// out (an interrupted bump, a checkout by hand), no checkout at all, or changed files inside it.
    /// </summary>
    private static IEnumerable<string> CheckoutProblems(SubmoduleFacts engine, string pinned, Func<string, string> show)
    {
        var staged = engine.Staged ?? pinned;
        if (staged != pinned)
            yield return $"engine/ is staged at {show(staged)} but HEAD records {show(pinned)}; commit the new pin (git commit -- engine) or unstage it (git restore --staged engine)";
        if (engine.CheckedOut is null)
            yield return "engine/ is not checked out; run: git submodule update --init engine";
        else if (engine.CheckedOut != staged)
            yield return $"engine/ is checked out at {show(engine.CheckedOut)} but the project records {show(staged)}; run git submodule update engine to return to the pin, or commit the checkout as the new pin";
        if (engine.LocalChanges)
        {
            var what = engine.ModifiedContent && engine.UntrackedContent ? "modified and untracked files"
                : engine.ModifiedContent ? "modified files" : "untracked files";
            yield return $"engine/ has local changes ({what}); commit or discard them (git -C engine status)";
        }
    }

    /// <summary>A commit as "1a2b3c4 (v0.1.0)", or just the short id when no tag points at it.</summary>
    public static string Describe(string commit, RemoteRefs refs)
    {
        var tags = refs.TagsAt(commit).ToList();
        return tags.Count == 0 ? commit[..7] : $"{commit[..7]} ({string.Join(", ", tags)})";
    }
}
