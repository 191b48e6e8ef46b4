using TestSupport;

namespace EndToEnd.Tests;

/// <summary>Credentials in engine URLs, given as parameters or written in fleet.toml, never reach any output.</summary>
[Collection(FreshCloneCollection.Name)]
public sealed class SecretsTests(FreshClone clone) : IDisposable
{
    // Nothing listens on port 9 (discard) here: git fails at once, and its error names the URL.
    private const string TokenUrl = "https://bot:TOKEN@127.0.0.1:9/engine.git";
    private const string Redacted = "https://***@127.0.0.1:9/engine.git";

    private readonly FleetWorkspace _fleet = new(clone, $"""
        [defaults]
        engine_url = "{TokenUrl}"
        ref = "v0.1.0"

        [[project]]
        name = "api"
        location = "api"

        """);

    public void Dispose() => _fleet.Dispose();

    private static void NoSecret(Outcome outcome)
    {
        Assert.DoesNotContain("TOKEN", outcome.Out + outcome.Err);
        Assert.DoesNotContain("bot:", outcome.Out + outcome.Err);
    }

    [Fact]
    public void CreateProject_refuses_an_engine_url_with_credentials_and_never_prints_them()
    {
        var refused = _fleet.Run(["CreateProject", "--name", "x", "--verbosity", "verbose"], new Dictionary<string, string> { ["ENGINE_URL"] = TokenUrl });

        NoSecret(refused);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"--engine-url = {Redacted}", refused.Err);
        Assert.Contains("error: CreateProject: --engine-url carries credentials, which git would record in the new project's .gitmodules; give the URL without them and let a git credential helper supply them", refused.Err);
        Assert.False(Directory.Exists(_fleet["projects/x"]));

        var inherited = _fleet.Run("CreateProject", "--name", "x");
        NoSecret(inherited);
        Assert.Contains("error: CreateProject: engine_url in [defaults] of fleet.toml carries credentials", inherited.Err);
    }

    [Fact]
    public void Targets_that_read_a_registry_with_credentials_show_them_redacted()
    {
        ProjectRepository.Create(_fleet["api"], _fleet.Engine, "v0.1.0");

        var validated = _fleet.Run("ValidateFleet", "--verbosity", "verbose");
        NoSecret(validated);
        Assert.Contains($"fleet.toml says engine_url = \"{Redacted}\"", validated.Out);
        Assert.Contains("api: engine_url carries a password or token, which git gets on its command line (readable by every local user with ps); give the URL without it and let a git credential helper supply it", validated.Out);
        Assert.Contains($"the engine repository {Redacted} cannot be read (git ls-remote --tags --heads -- {Redacted} failed", validated.Out);

        var bumped = _fleet.Run("UpdateEngine", "--project", "api", "--ref", "v0.2.0");
        NoSecret(bumped);
        Assert.Contains($"fleet.toml says engine_url = \"{Redacted}\"", bumped.Out);

        foreach (var reading in new[] { _fleet.Run("ListFleet", "--json"), _fleet.Run("FleetStatus", "--json"), _fleet.Run("GetProject", "--project", "api") })
        {
            NoSecret(reading);
            Assert.Contains(Redacted, reading.Out);
        }
    }
}
