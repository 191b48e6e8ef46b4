namespace Engine.Toml.Tests;

public class MapperTests
{
    public enum Watch { Off, Heal, ReadOnly }

    public sealed record Defaults(string? Harness, string? EngineUrl, string? Ref);

    public sealed record Project(string Name, string Location, string? Ref, bool Enabled = true, IReadOnlyList<string>? Tags = null);

    public sealed record Fleet(Defaults? Defaults, IReadOnlyList<Project> Project);

    public sealed record Agent(string Prompt, Watch Watch, int Interval, double Weight, DateOnly? Since);

    public sealed class Settings
    {
        public required string Name { get; init; }
        public long Retries { get; set; } = 3;
        public Dictionary<string, string> Env { get; set; } = [];
        public TomlTable? Extra { get; set; }
    }

    const string FleetToml = """
        [defaults]
        engine_url = "../engine"

        [[project]]
        name = "api"
        location = "../api"
        ref = "v0.1.0"
        tags = ["web", "public"]

        [[project]]
        name = "web"
        location = "../web"
        enabled = false
        """;

    [Fact]
    public void A_fleet_maps_onto_records()
    {
        var fleet = TomlMapper.Map<Fleet>(TomlDocument.Parse(FleetToml, "fleet.toml").Root);

        Assert.Equal(new Defaults(null, "../engine", null), fleet.Defaults);
        Assert.Equal(2, fleet.Project.Count);
        Assert.Equal(("api", "../api", "v0.1.0", true), (fleet.Project[0].Name, fleet.Project[0].Location, fleet.Project[0].Ref, fleet.Project[0].Enabled));
        Assert.Equal(["web", "public"], fleet.Project[0].Tags!);
        Assert.Equal(("web", null, false, null), (fleet.Project[1].Name, fleet.Project[1].Ref, fleet.Project[1].Enabled, fleet.Project[1].Tags));
    }

    [Fact]
    public void Every_mismatch_is_reported_with_its_position()
    {
        const string toml = """
            [[project]]
            name = 42
            location = "../api"
            enabeld = true

            [[project]]
            location = "../web"
            tags = "web"
            """;

        var error = Assert.Throws<TomlException>(() => TomlMapper.Map<Fleet>(TomlDocument.Parse(toml, "fleet.toml").Root));

        Assert.Equal("""
            fleet.toml:2:8: 'project[0].name' must be a string, found an integer
            fleet.toml:4:1: unknown key 'project[0].enabeld'; did you mean 'enabled'?
            fleet.toml:6:1: missing key 'name' in 'project[1]'
            fleet.toml:8:8: 'project[1].tags' must be an array, found a string
            """.Replace("\r\n", "\n"), error.Message);
        Assert.Equal(4, error.Errors.Count);
    }

    [Fact]
    public void Unknown_keys_can_be_left_to_the_caller()
    {
        var root = TomlDocument.Parse("name = \"a\"\nlocation = \"b\"\nowner = \"me\"\n", "t.toml").Root;

        var project = TomlMapper.Map<Project>(root, allowUnknownKeys: true);

        Assert.Equal("a", project.Name);
    }

    [Fact]
    public void Enums_numbers_and_dates_are_converted()
    {
        var root = TomlDocument.Parse("prompt = \"p.md\"\nwatch = \"read-only\"\ninterval = 30\nweight = 2\nsince = 2026-01-02\n", "agents.toml").Root;

        var agent = TomlMapper.Map<Agent>(root);

        Assert.Equal(new Agent("p.md", Watch.ReadOnly, 30, 2.0, new DateOnly(2026, 1, 2)), agent);
    }

    [Fact]
    public void Enum_and_range_errors_name_the_allowed_values()
    {
        var root = TomlDocument.Parse("prompt = \"p.md\"\nwatch = \"heel\"\ninterval = 9999999999\nweight = 1.5\n", "agents.toml").Root;

        var error = Assert.Throws<TomlException>(() => TomlMapper.Map<Agent>(root));

        Assert.Equal("""
            agents.toml:2:9: 'watch' must be one of off, heal, read_only; found 'heel'
            agents.toml:3:12: 'interval' must be between -2147483648 and 2147483647, found 9999999999
            """.Replace("\r\n", "\n"), error.Message);
    }

    [Fact]
    public void Classes_map_through_their_properties()
    {
        var root = TomlDocument.Parse("name = \"x\"\n[env]\nA = \"1\"\n[extra]\nanything = true\n", "t.toml").Root;

        var settings = TomlMapper.Map<Settings>(root);

        Assert.Equal(("x", 3L, "1"), (settings.Name, settings.Retries, settings.Env["A"]));
        Assert.True(settings.Extra!["anything"].AsBoolean());
        Assert.Equal("t.toml:1:1: missing key 'name'", Assert.Throws<TomlException>(() => TomlMapper.Map<Settings>(TomlDocument.Parse("", "t.toml").Root)).Message);
    }

    [Fact]
    public void A_record_becomes_a_table_to_append()
    {
        var document = TomlDocument.Parse(FleetToml, "fleet.toml");

        document.AppendTableArrayEntry("project", TomlMapper.ToTable(new Project("docs", "../docs", null, Tags: ["internal"])));

        Assert.EndsWith("enabled = false\n\n[[project]]\nname = \"docs\"\nlocation = \"../docs\"\nenabled = true\ntags = [\"internal\"]\n", document.ToString());
        var fleet = TomlMapper.Map<Fleet>(TomlDocument.Parse(document.ToString(), "fleet.toml").Root);
        Assert.Equal(["internal"], fleet.Project[2].Tags!);
    }

    [Fact]
    public void Member_names_become_snake_case_keys()
    {
        Assert.Equal(["engine_url", "ref", "http_port", "isolation_allow", "v2_name"],
            new[] { "EngineUrl", "Ref", "HTTPPort", "IsolationAllow", "V2Name" }.Select(TomlMapper.SnakeCase));
    }
}
