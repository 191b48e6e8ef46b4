using TestSupport;

namespace EndToEnd.Tests;

/// <summary>RegisterProject adopting a project that exists already, on a registry like the one the quick start leaves (no [defaults]).</summary>
[Collection(FreshCloneCollection.Name)]
public sealed class AdoptionTests : IDisposable
{
    private readonly FleetWorkspace _fleet;
    private readonly string _quickStartFleet;

    public AdoptionTests(FreshClone clone)
    {
        _fleet = new FleetWorkspace(clone);
        _quickStartFleet = $"""
            [[project]]
            name = "demo"
            location = "projects/demo"
            engine_url = "{_fleet.Engine.Url}"
            ref = "v0.1.0"

            """;
        File.WriteAllText(_fleet.FleetFile, _quickStartFleet);
    }

    public void Dispose() => _fleet.Dispose();

    private Outcome Succeeds(params string[] arguments) => _fleet.Succeeds(arguments);

    [Fact]
    public void Engine_url_and_ref_come_from_the_projects_own_submodule_and_pin()
    {
        ProjectRepository.Create(_fleet["api"], _fleet.Engine, "v0.2.0");

        var registered = Succeeds("RegisterProject", "--name", "api", "--location", "api");

        Assert.Equal("registered 'api' in fleet.toml (engine_url, ref v0.2.0 from its engine/ submodule)\n", registered.Out);
        Assert.Equal(_quickStartFleet + $"""

            [[project]]
            name = "api"
            location = "api"
            engine_url = "{_fleet.Engine.Url}"
            ref = "v0.2.0"

            """, _fleet.Fleet);
        Assert.Contains("api (api): ok", _fleet.Run("ValidateFleet", "--project", "api").Out);
    }

    [Fact]
    public void A_pin_without_a_tag_is_registered_by_its_commit_and_an_unreachable_engine_is_read_from_the_checkout()
    {
        ProjectRepository.Create(_fleet["api"], _fleet.Engine, "broken-init");
        ProjectRepository.Create(_fleet["web"], _fleet.Engine, "v0.1.0");
        Directory.Move(_fleet.Engine.Url, _fleet["moved.git"]);

        Succeeds("RegisterProject", "--name", "web", "--location", "web");
        Assert.Contains("ref = \"v0.1.0\"", _fleet.Fleet);
        Directory.Move(_fleet["moved.git"], _fleet.Engine.Url);

        var untagged = _fleet.Engine.CommitOf("broken-init");
        Shell.Git(_fleet.Engine.Url, "tag", "-d", "broken-init");
        Succeeds("RegisterProject", "--name", "api", "--location", "api");
        Assert.Contains($"ref = \"{untagged}\"", _fleet.Fleet);
        var validated = _fleet.Run("ValidateFleet", "--project", "api").Out;
        Assert.DoesNotContain("pinned", validated); // the engine there (a harness that always fails) is another matter
        Assert.DoesNotContain("does not exist", validated);
    }

    [Fact]
    public void What_defaults_already_say_is_not_written_again()
    {
        File.WriteAllText(_fleet.FleetFile, $"[defaults]\nengine_url = \"./engine.git\"\nref = \"v0.1.0\"\n");
        ProjectRepository.Create(_fleet["api"], _fleet.Engine, "v0.1.0");

        Assert.Equal("registered 'api' in fleet.toml\n", Succeeds("RegisterProject", "--name", "api", "--location", "api").Out);

        Assert.EndsWith("[[project]]\nname = \"api\"\nlocation = \"api\"\n", _fleet.Fleet);
    }

    [Fact]
    public void Without_a_submodule_or_defaults_the_error_names_the_flag_and_no_line()
    {
        Directory.CreateDirectory(_fleet["plain"]);

        var refused = _fleet.Run("RegisterProject", "--name", "plain", "--location", "plain");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"error: RegisterProject: no engine_url for 'plain': {_fleet["plain"]} records no engine/ submodule to take it from, and [defaults] sets none; pass --engine-url URL", refused.Err);
        Assert.DoesNotContain("fleet.toml:", refused.Err);
        Assert.Equal(_quickStartFleet, _fleet.Fleet);

        var withUrl = _fleet.Run("RegisterProject", "--name", "plain", "--location", "plain", "--engine-url", "./engine.git");
        Assert.Contains("no ref for 'plain'", withUrl.Err);
        Assert.Contains("pass --ref REF", withUrl.Err);
        Succeeds("RegisterProject", "--name", "plain", "--location", "plain", "--engine-url", "./engine.git", "--ref", "v0.1.0");
    }

    [Fact]
    public void Bad_flags_are_named_before_the_registry_is_touched()
    {
        var longName = _fleet.Run("RegisterProject", "--name", new string('a', 300), "--location", "x", "--engine-url", "./e.git", "--ref", "v1");
        Assert.Equal(2, longName.ExitCode);
        Assert.Contains("error: RegisterProject: --name: 'aaaaaaaaaaaaaaaa...' is 300 characters long; a project name has at most 64", longName.Err);

        var badUrl = _fleet.Run("RegisterProject", "--name", "x", "--location", "x", "--engine-url", "htps://x", "--ref", "v1");
        Assert.Contains("error: RegisterProject: --engine-url: 'htps://x' is not a valid git URL", badUrl.Err);
        Assert.Equal(_quickStartFleet, _fleet.Fleet);
    }
}
