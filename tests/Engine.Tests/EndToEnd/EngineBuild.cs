using TestSupport;

namespace Engine.Tests.EndToEnd;

/// <summary>
/// The engine as projects get it: the real launcher, built once per test run into a cache of the
/// run's own, by two first uses at once (which must build only once).
/// </summary>
internal static class EngineBuild
{
    public static string Launcher { get; } = System.IO.Path.Combine(RepositoryRoot.Path, "engine", "agents");

    public static string CacheHome { get; } = Directory.CreateTempSubdirectory("agents-engine-cache-").FullName;

    private static readonly Lazy<IReadOnlyList<Outcome>> FirstUses = new(BuildConcurrently);

    /// <summary>The outcomes of the two simultaneous first uses (<c>--version</c>).</summary>
    public static IReadOnlyList<Outcome> EnsureBuilt() => FirstUses.Value;

    public static Dictionary<string, string> Environment => new() { ["XDG_CACHE_HOME"] = CacheHome };

    private static IReadOnlyList<Outcome> BuildConcurrently()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(CacheHome, recursive: true);
        var uses = Enumerable.Range(0, 2)
            .Select(_ => Task.Run(() => Shell.Run(CacheHome, Launcher, ["--version"], Environment, TimeSpan.FromMinutes(5))))
            .ToArray();
        return uses.Select(u => u.Result).ToList();
    }
}
