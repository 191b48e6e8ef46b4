using Orchestrator.Isolation;
using TestSupport;

namespace Isolation.Tests;

/// <summary>The engine is vendored into every project: by the isolation rule, nothing in it may speak of the fleet or the orchestrator.</summary>
public sealed class EngineNeutralityTests
{
    [Fact]
    public void No_file_of_the_engine_mentions_the_fleet_or_the_orchestrator()
    {
        var facts = new OrchestratorFacts([], []);
        var engineFiles = Shell.Git(RepositoryRoot.Path, "ls-files", "-z", "--", "engine")
            .Split('\0', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(engineFiles);

        var mentions = engineFiles.SelectMany(file =>
                IsolationMatcher.Content(file, File.ReadAllText(Path.Combine(RepositoryRoot.Path, file)), facts, null) ?? [])
            .Select(v => $"{v.Path}:{v.Line}: {v.Text}");
        Assert.Empty(mentions);
    }
}
