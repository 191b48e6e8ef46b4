using TestSupport;

namespace EndToEnd.Tests;

/// <summary>
/// A fresh clone of this checkout as it would be committed (tracked and new, non-ignored files) in a temporary
/// folder, with nothing built: the first ./build.sh in it is a cold build, which runs the JIT build and publishes
/// the native runbook in the background. The clone waits for that publish, so its tests run the native binary.
/// Shared by the tests of a collection.
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
        NativePublish = WaitForNativePublish();
        using var withoutDotnet = new RestrictedPath("dotnet");
        NativeRun = Run(Root, ["--help"], withoutDotnet.Environment);
    }

    /// <summary>The clone's very first ./build.sh (a cold build) and the one right after it, whatever tests run first.</summary>
    public Outcome FirstRun { get; }
    public Outcome SecondRun { get; }

    /// <summary>What the background publish of the native runbook logged, once it ended.</summary>
    public string NativePublish { get; }

    /// <summary>./build.sh --help once the native runbook was published, with no dotnet on PATH.</summary>
    public Outcome NativeRun { get; }

    public string RunbookBuilds => Path.Combine(Root, ".nuke", "temp", "runbook");

    public Outcome BuildSh(params string[] arguments) => Run(Root, arguments);

    public Outcome Run(string workingDirectory, string[] arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        Shell.Run(workingDirectory, Path.Combine(Root, "build.sh"), arguments, environment, Deadline);

    /// <summary>Against hangs only: a cold build on 2 cores shared with other builds has taken over 5 minutes.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(15);

    /// <summary>The background publish holds native.lock from before ./build.sh returns until it ends.</summary>
    private string WaitForNativePublish()
    {
        var waited = Shell.Run(Root, "flock", [Path.Combine(RunbookBuilds, "native.lock"), "true"], timeout: Deadline);
        if (waited.ExitCode != 0)
            throw new InvalidOperationException($"waiting for the native publish failed: {waited}");
        var log = Path.Combine(RunbookBuilds, "native.log");
        return File.Exists(log) ? File.ReadAllText(log) : "(no native.log)";
    }

    public void Dispose() => _folder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class FreshCloneCollection : ICollectionFixture<FreshClone>
{
    public const string Name = "fresh clone";
}
