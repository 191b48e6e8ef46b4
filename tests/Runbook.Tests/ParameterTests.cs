using Runbook;

namespace Runbook.Tests;

public sealed class ParameterTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    public enum Mode { Fast, CarefulMode }

    private sealed class Parameterized : NukeBuild
    {
        [Parameter("Where the engine lives")] public readonly string? EngineUrl;
        [Parameter("The engine ref")] public readonly string? @ref;
        [Parameter("Print the plan only")] public readonly bool DryRun;
        [Parameter("Tags to select")] public readonly string[]? Tags;
        [Parameter("How many at once")] public readonly int Parallel = 4;
        [Parameter("Mode")] public readonly Mode Speed = Mode.Fast;
        [Parameter("A file")] public readonly AbsolutePath? Fleet;
        [Parameter("The API token"), Secret] public readonly string? Token;

        Target Show => _ => _.Executes(() => { });
        Target UpdateEngine => _ => _.Requires(() => @ref).Requires(() => EngineUrl).Executes(() => { });
        Target NeedsDryRun => _ => _.Requires(() => DryRun).Executes(() => { });
        Target Fans => _ => _.Requires(() => Parallel >= 1).Executes(() => { });
        Target Leak => _ => _.Executes(() => throw new TargetFailedException($"token {Token} was refused"));
        Target Clone => _ => _.Executes(() => throw new TargetFailedException($"git clone {EngineUrl} failed: fatal: repository '{EngineUrl}/' not found"));
        Target Hidden => _ => _.Unlisted().Executes(() => { });
    }

    private Parameterized Bind(string commandLine, Dictionary<string, string>? environment = null)
    {
        var result = _harness.Run<Parameterized>("Show " + commandLine, environment);
        Assert.True(result.ExitCode == 0, result.Err);
        return result.Build;
    }

    [Fact]
    public void Names_are_kebab_case_and_match_ignoring_case_and_dashes()
    {
        Assert.Equal("u", Bind("--engine-url u").EngineUrl);
        Assert.Equal("u", Bind("--EngineUrl u").EngineUrl);
        Assert.Equal("u", Bind("--engineurl=u").EngineUrl);
    }

    [Fact]
    public void A_csharp_keyword_is_usable_as_a_flag() => Assert.Equal("v0.2.0", Bind("--ref v0.2.0").@ref);

    [Fact]
    public void Flags_arrays_numbers_enums_and_paths_convert()
    {
        var build = Bind("--dry-run --tags a b c --parallel 8 --speed careful-mode --fleet sub/fleet.toml");
        Assert.True(build.DryRun);
        Assert.Equal(["a", "b", "c"], build.Tags);
        Assert.Equal(8, build.Parallel);
        Assert.Equal(Mode.CarefulMode, build.Speed);
        Assert.Equal(Path.Combine(_harness.Root, "sub", "fleet.toml"), (string)build.Fleet!);
        Assert.False(Bind("--dry-run false").DryRun);
    }

    [Fact]
    public void A_value_that_does_not_convert_names_the_parameter_and_the_type()
    {
        var result = _harness.Run<Parameterized>("Show --parallel many");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: --parallel: 'many' is not a whole number", result.Err);
        var fromEnvironment = _harness.Run<Parameterized>("Show", new() { ["SPEED"] = "slow" });
        Assert.Contains("error: --speed: 'slow' is not one of fast, careful-mode (from environment variable SPEED)", fromEnvironment.Err);
    }

    [Fact]
    public void Unknown_options_are_refused_with_a_suggestion()
    {
        var result = _harness.Run<Parameterized>("Show --refs v1");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: Unknown option --refs; did you mean --ref?", result.Err);
    }

    [Fact]
    public void Targets_may_follow_flags()
    {
        var afterFlag = _harness.Run<Parameterized>("--dry-run NeedsDryRun --no-logo");
        Assert.True(afterFlag.ExitCode == 0, afterFlag.Err);
        Assert.True(afterFlag.Build.DryRun);
        Assert.Equal(["NeedsDryRun"], afterFlag.Build.InvokedTargets);

        var afterValue = _harness.Run<Parameterized>("--no-logo --dry-run false Show Fans");
        Assert.True(afterValue.ExitCode == 0, afterValue.Err);
        Assert.False(afterValue.Build.DryRun);
        Assert.Equal(["Show", "Fans"], afterValue.Build.InvokedTargets);

        var unknown = _harness.Run<Parameterized>("--dry-run Shw");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("error: Unknown target 'Shw'. Did you mean Show?", unknown.Err);
    }

    [Fact]
    public void Precedence_is_command_line_then_environment_then_files_then_default()
    {
        _harness.WriteParameters("parameters.json", """{ "$schema": "./build.schema.json", "EngineUrl": "file", "Parallel": 2, "Tags": ["x", "y"] }""");
        _harness.WriteParameters("parameters.ci.json", """{ "Parallel": 3 }""");

        var fromFile = Bind("");
        Assert.Equal(("file", 2), (fromFile.EngineUrl, fromFile.Parallel));
        Assert.Equal(["x", "y"], fromFile.Tags);
        Assert.Equal(3, Bind("--profile ci").Parallel);
        Assert.Equal("env", Bind("", new() { ["ENGINE_URL"] = "env" }).EngineUrl);
        Assert.Equal("nuke", Bind("", new() { ["engineurl"] = "env", ["NUKE_ENGINE_URL"] = "nuke" }).EngineUrl);
        Assert.Equal(["p", "q"], Bind("", new() { ["TAGS"] = "p q" }).Tags);
        Assert.Equal("cli", Bind("--engine-url cli", new() { ["ENGINE_URL"] = "env" }).EngineUrl);
        Assert.Equal(4, new Parameterized().Parallel);
    }

    [Fact]
    public void No_environment_variable_selects_targets()
    {
        var result = _harness.Run<Parameterized>("", new() { ["TARGET"] = "Leak", ["NUKE_TARGET"] = "Leak" }, defaults: ["Show"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Show", result.Err);
        Assert.DoesNotContain("Leak", result.Err);
    }

    [Fact]
    public void Parameter_files_report_unknown_keys_bad_json_and_missing_profiles()
    {
        _harness.WriteParameters("parameters.json", """{ "EngineUrls": "x" }""");
        Assert.Contains(".nuke/parameters.json: unknown parameter 'EngineUrls'", _harness.Run<Parameterized>("Show").Err);
        _harness.WriteParameters("parameters.json", "{ \"EngineUrl\": }");
        Assert.Contains(".nuke/parameters.json:1:", _harness.Run<Parameterized>("Show").Err);
        _harness.WriteParameters("parameters.json", "{}");
        var missingProfile = _harness.Run<Parameterized>("Show --profile nope");
        Assert.Equal(2, missingProfile.ExitCode);
        Assert.Contains("--profile nope: .nuke/parameters.nope.json does not exist", missingProfile.Err);
    }

    [Fact]
    public void Every_missing_requirement_is_named_by_its_flag_before_anything_runs()
    {
        var result = _harness.Run<Parameterized>("UpdateEngine NeedsDryRun");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: UpdateEngine requires --ref", result.Err);
        Assert.Contains("error: UpdateEngine requires --engine-url", result.Err);
        Assert.Contains("error: NeedsDryRun requires --dry-run", result.Err);
        Assert.Equal(0, _harness.Run<Parameterized>("UpdateEngine --ref v1 --engine-url u").ExitCode);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public void A_condition_on_a_value_is_checked_before_anything_runs_and_spelled_with_flags(string parallel)
    {
        var result = _harness.Run<Parameterized>($"Fans --parallel {parallel}");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: Fans requires --parallel >= 1\n", result.Err);
        Assert.Equal(0, _harness.Run<Parameterized>("Fans --parallel 1").ExitCode);
    }

    [Fact]
    public void Requirements_of_skipped_targets_are_not_checked() =>
        Assert.Equal(0, _harness.Run<Parameterized>("Show UpdateEngine --skip UpdateEngine").ExitCode);

    [Fact]
    public void Secret_values_never_appear_in_output()
    {
        var verbose = _harness.Run<Parameterized>("Show --token hunter2 --verbosity verbose");
        Assert.Contains("--token = ***", verbose.Err);
        var failing = _harness.Run<Parameterized>("Leak --token hunter2", new() { ["ENGINE_URL"] = "x" });
        Assert.Contains("token *** was refused", failing.Err);
        Assert.DoesNotContain("hunter2", failing.Err + failing.Out + verbose.Err + verbose.Out);
    }

    [Fact]
    public void Credentials_in_urls_never_appear_in_errors_the_summary_or_the_parameter_dump()
    {
        var failed = _harness.Run<Parameterized>("Clone --verbosity verbose", new() { ["ENGINE_URL"] = "https://bot:TOKEN@git.example.com/engine.git" });
        Assert.Equal(1, failed.ExitCode);
        var everything = failed.Out + failed.Err;
        Assert.DoesNotContain("TOKEN", everything);
        Assert.DoesNotContain("bot", everything);
        Assert.Contains("--engine-url = https://***@git.example.com/engine.git", failed.Err);
        Assert.Contains("error: Clone: git clone https://***@git.example.com/engine.git failed: fatal: repository 'https://***@git.example.com/engine.git/' not found", failed.Err);
        Assert.Contains("// git clone https://***@git.example.com/engine.git failed", failed.Err);
    }

    [Theory]
    [InlineData("https://bot:TOKEN@host/e.git", "https://***@host/e.git")]
    [InlineData("see https://TOKEN@host/e.git and http://u:p@h:8080/x", "see https://***@host/e.git and http://***@h:8080/x")]
    [InlineData("ssh://git@host/e.git", "ssh://git@host/e.git")]
    [InlineData("ssh://git:secret@host/e.git", "ssh://***@host/e.git")]
    [InlineData("git@github.com:team/e.git user@example.com", "git@github.com:team/e.git user@example.com")]
    [InlineData("'https://a:b@c@host/e.git'", "'https://***@host/e.git'")]
    public void Url_credentials_are_redacted_as_git_does(string text, string shown) =>
        Assert.Equal(shown, SecretMaskingWriter.RedactUrlCredentials(text));

    [Fact]
    public void Help_lists_targets_with_dependencies_and_parameters_with_descriptions()
    {
        var result = _harness.Run<Parameterized>("--help --token hunter2", defaults: ["Show"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"Show \(default\)", result.Out);
        Assert.Matches(@"--engine-url <value>\s+Where the engine lives", result.Out);
        Assert.Matches(@"--parallel <number>\s+How many at once \(default: 4\)", result.Out);
        Assert.Matches(@"--speed <fast\|careful-mode>\s+Mode \(default: fast\)", result.Out);
        Assert.Matches(@"--token <value>\s+The API token \(secret\)", result.Out);
        Assert.DoesNotContain("Hidden", result.Out);
        Assert.DoesNotContain("hunter2", result.Out);
    }

    [Fact]
    public void Root_option_chooses_where_parameter_files_are_read()
    {
        using var other = new BuildHarness();
        other.WriteParameters("parameters.json", """{ "Parallel": 9 }""");
        Assert.Equal(9, Bind($"--root {other.Root}").Parallel);
        Assert.Equal(other.Root, (string)Bind($"--root {other.Root}").RootDirectory);
    }

    [Fact]
    public void Verbosity_decides_how_much_of_the_runners_own_output_appears()
    {
        var quiet = _harness.Run<Parameterized>("Show --verbosity quiet");
        Assert.Equal("", quiet.Err);
        var minimal = _harness.Run<Parameterized>("Show --verbosity minimal");
        Assert.StartsWith("Build succeeded in", minimal.Err);
        var normal = _harness.Run<Parameterized>("Show --no-logo");
        Assert.Contains("── Show ─", normal.Err);
        Assert.DoesNotContain(nameof(Parameterized), normal.Err.Split('\n')[0]);
        Assert.StartsWith(nameof(Parameterized), _harness.Run<Parameterized>("Show").Err);
        var failedQuietly = _harness.Run<Parameterized>("Leak --verbosity quiet --token s3cr3t");
        Assert.Equal("error: Leak: token *** was refused\n", failedQuietly.Err);
    }

    [Fact]
    public void Schema_describes_parameters_and_targets_and_is_rewritten_only_on_change()
    {
        _harness.Run<Parameterized>("Show");
        var schemaPath = Path.Combine(_harness.Root, ".nuke", "build.schema.json");
        var schema = File.ReadAllText(schemaPath);
        Assert.Contains("\"EngineUrl\"", schema);
        Assert.Contains("\"CarefulMode\"", schema);
        Assert.Contains("\"UpdateEngine\"", schema);
        var written = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(schemaPath, written);
        _harness.Run<Parameterized>("Show");
        Assert.Equal(written, File.GetLastWriteTimeUtc(schemaPath));
        // As after a rebuild of the runbook: the schema is generated again, and still not rewritten.
        File.Delete(Path.Combine(_harness.Root, ".nuke", "temp", "schema.stamp"));
        _harness.Run<Parameterized>("Show");
        Assert.Equal(written, File.GetLastWriteTimeUtc(schemaPath));
        File.WriteAllText(schemaPath, "{}");
        File.Delete(Path.Combine(_harness.Root, ".nuke", "temp", "schema.stamp"));
        _harness.Run<Parameterized>("Show");
        Assert.Contains("\"EngineUrl\"", File.ReadAllText(schemaPath));
    }
}
