using TestSupport;

namespace EndToEnd.Tests;

/// <summary>FleetStatus and ValidateFleet through ./build.sh on projects git reads in process: moved engines and damaged repositories are lines, not crashes.</summary>
[Collection(FreshCloneCollection.Name)]
public sealed class GitFactsTests : IDisposable
{
    private const string Fleet = """
        [defaults]
        engine_url = "./engine.git"
        ref = "v0.1.0"

        [[project]]
        name = "moved"
        location = "moved"

        [[project]]
        name = "damaged"
        location = "damaged"
        """;

    private readonly FleetWorkspace _fleet;

    public GitFactsTests(FreshClone clone)
    {
        _fleet = new FleetWorkspace(clone, Fleet);
        ProjectRepository.Create(_fleet["moved"], _fleet.Engine, "v0.1.0");
        Shell.Git(_fleet["moved/engine"], "checkout", "-q", "v0.2.0");
        ProjectRepository.Create(_fleet["damaged"], _fleet.Engine, "v0.1.0");
        File.WriteAllText(_fleet["damaged/.git/HEAD"], "garbage\n");
    }

    public void Dispose() => _fleet.Dispose();

    [Fact]
    public void A_moved_engine_and_a_damaged_repository_are_one_line_each()
    {
        var moved = _fleet.Engine.CommitOf("v0.2.0")[..7];
        var status = _fleet.Run("FleetStatus");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains($"engine: engine/ is checked out at {moved} (v0.2.0) but the project records", status.Out);
        Assert.Contains($"{_fleet["damaged"]}: the git repository cannot be read (", status.Out);

        var validation = _fleet.Run("ValidateFleet");
        Assert.Equal(1, validation.ExitCode);
        Assert.Contains($"moved: engine/ is checked out at {moved} (v0.2.0)", validation.Out);
        Assert.Contains($"damaged: could not be checked: {_fleet["damaged"]}: the git repository cannot be read (", validation.Out);
        Assert.Contains("2 projects checked, 2 with problems; 2 problems in all", validation.Out);
        foreach (var outcome in new[] { status, validation })
            Assert.DoesNotContain("   at ", outcome.Out + outcome.Err);
    }
}
