using Orchestrator.Engine;
using Orchestrator.Fleet;
using Orchestrator.Git;

namespace Orchestrator.Projects;

/// <summary>The engine an existing project vendors, as it records it: engine/'s URL in .gitmodules and the commit its gitlink pins.</summary>
/// <param name="Refs">The refs of the engine repository (or, when it cannot be reached, of the project's engine/ checkout); null when neither can be read.</param>
internal sealed record VendoredEngine(string Url, string Commit, RemoteRefs? Refs);

/// <summary>
/// RegisterProject for a project that exists already: the entry takes what the flags say, else what the project
/// itself records (so it validates as it stands), else what [defaults] gives, writing only what differs from
/// [defaults]. Every value is checked before the registry is touched, and named by its flag when wrong.
/// </summary>
internal static class ProjectAdoption
{
    public static (ProjectEntry Entry, string? Taken) Plan(string name, AbsolutePath location, string? engineUrl, string? reference,
        string? harness, IReadOnlyList<string> tags, FleetRegistry registry)
    {
        Check("--name", FleetRules.CheckName(name));
        Check("--engine-url", engineUrl is null ? null : FleetRules.CheckUrl(engineUrl));
        Check("--ref", reference is null ? null : FleetRules.CheckRef(reference));
        Check("--harness", harness is null ? null : FleetRules.CheckHarness(harness));
        foreach (var tag in tags)
            Check("--tags", FleetRules.CheckTag(tag));

        var engine = engineUrl is not null && reference is not null ? null : Vendored(location, registry.Folder);
        var defaults = registry.Defaults;
        var taken = new List<string>();

        var url = engineUrl;
        if (url is null && engine is not null && !(defaults.EngineUrl is { } inherited && EngineUrls.SameRepository(EngineUrls.Resolve(inherited, registry.Folder), engine.Url)))
        {
            if (FleetRules.CheckUrl(engine.Url) is { } badUrl)
                throw new TargetFailedException($"{location}/engine comes from a URL fleet.toml cannot take ({badUrl}); pass --engine-url URL", 2);
            url = engine.Url;
            taken.Add("engine_url");
        }
        if (url is null && defaults.EngineUrl is null)
            throw Missing(name, location, "engine_url", "--engine-url URL");

        var pinnedRef = reference;
        if (pinnedRef is null && engine is not null && !(defaults.Ref is { } inheritedRef && engine.Refs?.Resolve(inheritedRef) == engine.Commit))
        {
            pinnedRef = RefOf(engine);
            taken.Add($"ref {pinnedRef}");
        }
        if (pinnedRef is null && defaults.Ref is null)
            throw Missing(name, location, "ref", "--ref REF");

        var writtenHarness = harness;
        if (harness is null && HarnessOf(location) is { } vendored && vendored != (defaults.Harness ?? FleetSchema.DefaultHarness))
        {
            writtenHarness = vendored;
            taken.Add($"harness {vendored}");
        }

        var entry = new ProjectEntry(name, ProjectCreator.LocationInRegistry(location, registry.Folder), url, pinnedRef, writtenHarness, tags);
        return (entry, taken.Count == 0 ? null : $"{string.Join(", ", taken)} from its engine/ submodule");
    }

    /// <summary>What the project at <paramref name="location"/> vendors as engine/, or null when it is no repository with such a submodule.</summary>
    private static VendoredEngine? Vendored(AbsolutePath location, AbsolutePath fleetFolder)
    {
        SubmoduleFacts? submodule;
        using (var repository = GitRepository.OpenWorkTree(location))
            submodule = repository?.Submodule(EngineCheck.SubmodulePath);
        if (submodule is not { Url: { Length: > 0 } recordedUrl, Recorded: { } commit })
            return null;
        var url = EngineUrls.Resolve(recordedUrl, location);
        return new VendoredEngine(url, commit, ReadRefs(url, fleetFolder) ?? ReadRefs(location / EngineCheck.SubmodulePath, fleetFolder));
    }

    private static RemoteRefs? ReadRefs(string repository, AbsolutePath workingDirectory)
    {
        try
        {
            return RemoteRefs.List(repository, workingDirectory);
        }
        catch (GitException)
        {
            return null;
        }
    }

    /// <summary>The newest version tag at the pinned commit, else any tag there, else the commit itself (a ref fleet.toml takes).</summary>
    private static string RefOf(VendoredEngine engine)
    {
        var tags = engine.Refs?.TagsAt(engine.Commit).ToList() ?? [];
        return EngineVersion.Latest(tags)?.Tag ?? tags.FirstOrDefault() ?? engine.Commit;
    }

    private static string? HarnessOf(AbsolutePath location) =>
        (location / EngineCheck.SubmodulePath / "agents").FileExists() ? "agents"
        : (location / EngineCheck.SubmodulePath / "agents.py").FileExists() ? "agent-orchestrator"
        : null;

    private static void Check(string flag, string? problem)
    {
        if (problem is not null)
            throw new TargetFailedException($"{flag}: {problem}", 2);
    }

    private static TargetFailedException Missing(string name, AbsolutePath location, string key, string flag) =>
        new($"no {key} for '{name}': {location} records no engine/ submodule to take it from, and [defaults] sets none; pass {flag}", 2);
}
