using Runbook;

namespace Runbook.Tests;

/// <summary><c>--</c>: everything after it is one array parameter, as typed.</summary>
public sealed class TrailingArgumentsTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private sealed class WithCommand : NukeBuild
    {
        [Parameter("Projects")] public readonly string[]? Project;
        [Parameter("Print results as JSON")] public readonly bool Json;
        [Parameter("The command to run and its arguments"), TrailingArguments] public readonly string[]? Command;

        Target Exec => _ => _.Requires(() => Command).Executes(() => { });
        Target Show => _ => _.Executes(() => { });
    }

    private sealed class WithoutCommand : NukeBuild
    {
        Target Show => _ => _.Executes(() => { });
    }

    [Fact]
    public void Everything_after_the_double_dash_is_the_array_as_typed()
    {
        var result = _harness.Run<WithCommand>("Exec --project a b -- git log --json -n 3 -- x");
        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Equal(["a", "b"], result.Build.Project);
        Assert.False(result.Build.Json);
        Assert.Equal(["git", "log", "--json", "-n", "3", "--", "x"], result.Build.Command);
    }

    [Fact]
    public void Without_a_double_dash_the_array_is_unset_and_a_requirement_names_it()
    {
        Assert.Null(_harness.Run<WithCommand>("Show").Build.Command);
        var missing = _harness.Run<WithCommand>("Exec --project a");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("error: Exec requires -- COMMAND...", missing.Err);
        var empty = _harness.Run<WithCommand>("Exec --project a --");
        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("error: Exec requires -- COMMAND...", empty.Err);
    }

    [Fact]
    public void It_comes_from_nowhere_else_not_a_flag_the_environment_or_a_file()
    {
        var flag = _harness.Run<WithCommand>("Exec --command ls");
        Assert.Equal(2, flag.ExitCode);
        Assert.Contains("error: --command is not an option; give -- COMMAND... last, after --", flag.Err);

        var fromEnvironment = _harness.Run<WithCommand>("Show", new() { ["COMMAND"] = "rm -rf x", ["NUKE_COMMAND"] = "rm" });
        Assert.Equal(0, fromEnvironment.ExitCode);
        Assert.Null(fromEnvironment.Build.Command);

        _harness.WriteParameters("parameters.json", """{ "Command": ["ls"] }""");
        var fromFile = _harness.Run<WithCommand>("Show");
        Assert.Equal(2, fromFile.ExitCode);
        Assert.Contains(".nuke/parameters.json: unknown parameter 'Command'", fromFile.Err);
        File.Delete(Path.Combine(_harness.Root, ".nuke", "parameters.json"));
        Assert.DoesNotContain("\"Command\"", File.ReadAllText(Path.Combine(_harness.Root, ".nuke", "build.schema.json")));
    }

    [Fact]
    public void A_build_that_takes_nothing_after_the_double_dash_refuses_it()
    {
        var result = _harness.Run<WithoutCommand>("Show -- ls");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: Nothing takes arguments after --; see --help", result.Err);
    }

    [Fact]
    public void Help_shows_it_in_the_usage_line_and_among_the_parameters()
    {
        var help = _harness.Run<WithCommand>("--help");
        Assert.Contains("Usage: ./build.sh [TARGET...] [--parameter value...] [-- COMMAND...]", help.Out);
        Assert.Matches(@"\n  -- COMMAND...\s+The command to run and its arguments\n", help.Out);
        Assert.DoesNotContain("[-- ", _harness.Run<WithoutCommand>("--help").Out);
    }
}
