using Orchestrator.Fleet;
using Runbook;
using TestSupport;

namespace Fleet.Tests;

public sealed class RegistrySchemaTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private FleetRegistry Load(string toml) => FleetRegistry.Load(AbsolutePath.Create(_folder.Write("fleet.toml", toml)));

    private IReadOnlyList<string> Problems(string toml)
    {
        var failure = Assert.Throws<FleetLoadException>(() => Load(toml));
        return failure.Problems.Select(p => p.ToString().Replace(_folder.Path + "/", "")).ToList();
    }

    [Fact]
    public void An_empty_file_is_an_empty_fleet() => Assert.Empty(Load("").Projects);

    [Fact]
    public void Projects_inherit_defaults_and_may_override_them()
    {
        var registry = Load("""
            [defaults]
            harness = "agent-orchestrator"
            engine_url = "../engine.git"
            ref = "v0.1.0"

            [[project]]
            name = "api"
            location = "projects/api"

            [[project]]
            name = "web"
            location = "/srv/web"
            ref = "v0.2.0"
            harness = "agents"
            enabled = false
            tags = ["frontend", "beta"]
            """);
        var api = registry.Get("api");
        Assert.Equal(("agent-orchestrator", "../engine.git", "v0.1.0", true), (api.Harness, api.EngineUrl, api.Ref, api.Enabled));
        Assert.Equal(Path.Combine(_folder.Path, "projects", "api"), (string)api.Directory);
        Assert.Equal(Path.GetFullPath(Path.Combine(_folder.Path, "..", "engine.git")), api.ResolvedEngineUrl(registry.Folder));
        var web = registry.Get("web");
        Assert.Equal(("agents", "v0.2.0", false, "/srv/web"), (web.Harness, web.Ref, web.Enabled, (string)web.Directory));
        Assert.Equal(["frontend", "beta"], web.Tags);
    }

    [Fact]
    public void The_harness_defaults_to_this_repositorys_engine()
    {
        var registry = Load("""
            [[project]]
            name = "api"
            location = "api"
            engine_url = "https://example.invalid/engine.git"
            ref = "v1"
            """);
        Assert.Equal("agents", registry.Get("api").Harness);
    }

    [Fact]
    public void Every_problem_is_reported_with_its_exact_position_and_what_to_do()
    {
        var problems = Problems("""
            [defaults]
            engine_url = "https://example.invalid/engine.git"
            ref = "v0.1.0"

            [[project]]
            name = "api"
            location = "projects/api"
            refs = "v0.2.0"

            [[project]]
            name = "Bad Name"
            location = 12
            ref = "v..1"

            [[project]]
            name = "api"
            location = "x"
            engine_url = "htps://x"
            tags = ["ok", "two words"]
            enabled = "yes"
            """);
        Assert.Equal(
        [
            "fleet.toml:8:1: unknown key 'refs' in project 'api'; did you mean 'ref'?",
            "fleet.toml:11:8: 'Bad Name' is not a valid project name; use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit",
            "fleet.toml:12:12: 'location' must be a string, not an integer; write location = \"...\"",
            "fleet.toml:13:7: 'v..1' is not a valid git ref: it contains '..' or '@{'",
            "fleet.toml:18:14: 'htps://x' is not a valid git URL: it has the unknown scheme 'htps'; use https://, ssh://, git:// or file://",
            "fleet.toml:20:11: 'enabled' must be true or false, not a string",
            "fleet.toml:19:15: 'two words' is not a valid tag; use a word without spaces",
            "fleet.toml:15:1: duplicate project name 'api' (first at 5:1); rename or remove one",
        ], problems);
    }

    [Fact]
    public void A_duplicate_name_is_reported_even_when_both_entries_have_other_problems()
    {
        var problems = Problems("""
            [[project]]
            name = "api"
            location = "a"

            [[project]]
            name = "api"
            location = 7
            """);
        Assert.Contains("fleet.toml:5:1: duplicate project name 'api' (first at 1:1); rename or remove one", problems);
        Assert.Equal(6, problems.Count); // each entry lacks engine_url and ref, the second has a bad location: all said at once
    }

    [Fact]
    public void A_name_has_at_most_64_characters()
    {
        Assert.Equal(64, Load($"[[project]]\nname = \"{new string('a', 64)}\"\nlocation = \"a\"\nengine_url = \"./e\"\nref = \"v1\"\n").Projects[0].Name.Length);
        Assert.Contains($"fleet.toml:2:8: '{new string('b', 16)}...' is 65 characters long; a project name has at most 64",
            Problems($"[[project]]\nname = \"{new string('b', 65)}\"\nlocation = \"a\"\nengine_url = \"./e\"\nref = \"v1\"\n"));
    }

    [Fact]
    public void Missing_required_fields_say_what_to_add()
    {
        var problems = Problems("""
            [[project]]
            location = "x"

            [[project]]
            name = "api"
            """);
        Assert.Contains("fleet.toml:1:1: a [[project]] has no 'name'; add name = \"my-project\"", problems);
        Assert.Contains("fleet.toml:4:1: project 'api' has no 'location'; add location = \"projects/api\"", problems);
        Assert.Contains("fleet.toml:4:1: project 'api' has no 'ref'; add ref = \"v0.1.0\" or set ref in [defaults]", problems);
        Assert.Contains("fleet.toml:4:1: project 'api' has no 'engine_url'; add engine_url = \"...\" or set engine_url in [defaults]", problems);
    }

    [Fact]
    public void Unknown_tables_and_wrong_shapes_are_errors()
    {
        var problems = Problems("""
            version = 2
            [project]
            name = "api"
            [defaults]
            engine = "x"
            """);
        Assert.Contains("fleet.toml:1:11: this runbook reads fleet.toml schema version 1, not 2; update the orchestrator or set version = 1", problems);
        Assert.Contains("fleet.toml:2:1: 'project' must be an array of tables; write each project as a [[project]] section", problems);
        Assert.Contains("fleet.toml:5:1: unknown key 'engine' in [defaults]; did you mean 'engine_url'?", problems);
    }

    [Fact]
    public void Toml_syntax_errors_and_invalid_utf8_have_positions()
    {
        var duplicate = Assert.Single(Problems("a = 1\na = 2\n"));
        Assert.StartsWith("fleet.toml:2:", duplicate);
        Assert.Contains("duplicate key 'a'", duplicate);
        var path = Path.Combine(_folder.Path, "fleet.toml");
        File.WriteAllBytes(path, [(byte)'a', (byte)'=', (byte)'"', 0xff, (byte)'"', (byte)'\n']);
        var failure = Assert.Throws<FleetLoadException>(() => FleetRegistry.Load(AbsolutePath.Create(path)));
        Assert.Contains("invalid UTF-8", failure.Message);
        Assert.Contains("fleet.toml:1:4:", failure.Message);
    }

    [Fact]
    public void Selection_takes_names_globs_and_tags()
    {
        var registry = Load("""
            [defaults]
            engine_url = "https://example.invalid/engine.git"
            ref = "v1"
            [[project]]
            name = "web-a"
            location = "a"
            tags = ["web"]
            [[project]]
            name = "web-b"
            location = "b"
            [[project]]
            name = "api"
            location = "c"
            tags = ["web", "core"]
            """);
        Assert.Equal(["web-a", "web-b"], registry.Select(["web-*"], null).Select(p => p.Name));
        Assert.Equal(["web-a", "api"], registry.Select(null, ["web"]).Select(p => p.Name));
        Assert.Equal(["api"], registry.Select(["api", "web-b"], ["core"]).Select(p => p.Name));
        var unknown = Assert.Throws<TargetFailedException>(() => registry.Select(["apx"], null));
        Assert.Contains("has no project 'apx'; did you mean 'api'?", unknown.Message);
    }
}
