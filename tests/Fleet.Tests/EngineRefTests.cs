using Orchestrator.Engine;
using Orchestrator.Git;
using Runbook;
using TestSupport;

namespace Fleet.Tests;

/// <summary><c>--ref latest</c>: the newest version tag in version order, never text order, never a tag that is not a version.</summary>
public sealed class EngineRefTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Versions_are_ordered_as_numbers()
    {
        var latest = EngineVersion.Latest(["v0.9.0", "v0.10.0", "v0.2.0", "latest", "v1.0.0-rc1", "v2", "release-3.0.0", "v0.10.0-hotfix"]);
        Assert.Equal("v0.10.0", latest?.Tag);
        Assert.Null(EngineVersion.Latest(["main", "v1", "nightly"]));
    }

    [Fact]
    public void Latest_resolves_against_the_repositorys_tags_and_anything_else_is_left_as_given()
    {
        var repository = _folder["engine"];
        Directory.CreateDirectory(repository);
        Shell.Git(repository, "init", "-q", "-b", "main");
        foreach (var tag in new[] { "v0.9.0", "v0.10.0", "v0.11.0-rc1" })
        {
            Shell.Git(repository, "commit", "-q", "--allow-empty", "-m", tag);
            Shell.Git(repository, "tag", tag);
        }
        var refs = RemoteRefs.List(repository, _folder.Path);
        Assert.Equal("v0.10.0", EngineRef.Resolve("latest", refs, repository));
        Assert.Equal("v0.9.0", EngineRef.Resolve("v0.9.0", refs, repository));
        Assert.Equal("main", EngineRef.Resolve("main", refs, repository));

        var untagged = _folder["untagged"];
        Directory.CreateDirectory(untagged);
        Shell.Git(untagged, "init", "-q", "-b", "main");
        Shell.Git(untagged, "commit", "-q", "--allow-empty", "-m", "first");
        var error = Assert.Throws<TargetFailedException>(() => EngineRef.Resolve("latest", RemoteRefs.List(untagged, _folder.Path), untagged));
        Assert.Equal($"the engine repository {untagged} has no version tag (vX.Y.Z) to take as the latest; pass --ref with a tag, branch or commit", error.Message);
        Assert.Equal(2, error.ExitCode);
    }
}
