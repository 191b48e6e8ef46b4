using TestSupport;

namespace EndToEnd.Tests;

/// <summary>
/// A fresh clone of this checkout as it would be committed (tracked and new, non-ignored files) in a temporary
/// folder, with nothing built: the first ./build.sh in it is a cold build. Shared by the tests of a collection.
/// </summary>
public sealed class FreshClone : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public string Root { get; }

    public FreshClone()
    {
        Root = _folder["orchestrator"];
        var files = Shell.Git(RepositoryRoot.Path, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
            .Split('\0', StringSplitOptions.RemoveEmptyEntries);
        foreach (var relative in files)
        {
            var source = Path.Combine(RepositoryRoot.Path, relative);
            if (!File.Exists(source))
                continue;
            var target = Path.Combine(Root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }
        Shell.Git(Root, "init", "-q", "-b", "main");
        Shell.Git(Root, "add", "-A");
        Shell.Git(Root, "commit", "-q", "-m", "fresh clone");
        FirstRun = BuildSh("--help");
        SecondRun = BuildSh("--help");
    }

    /// <summary>The clone's very first ./build.sh (a cold build) and the one right after it, whatever tests run first.</summary>
    public Outcome FirstRun { get; }
    public Outcome SecondRun { get; }

    public Outcome BuildSh(params string[] arguments) => Run(Root, arguments);

    public Outcome Run(string workingDirectory, string[] arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        Shell.Run(workingDirectory, Path.Combine(Root, "build.sh"), arguments, environment, TimeSpan.FromMinutes(5));

    public void Dispose() => _folder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class FreshCloneCollection : ICollectionFixture<FreshClone>
{
    public const string Name = "fresh clone";
}
