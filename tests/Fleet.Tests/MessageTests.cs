using Orchestrator.Output;
using Orchestrator.Projects;

namespace Fleet.Tests;

public sealed class MessageTests
{
    [Theory]
    [InlineData("v0.2.0", "v0.2.0")]
    [InlineData("release(1)", "'release(1)'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("$HOME", "'$HOME'")]
    [InlineData("", "''")]
    public void Words_are_quoted_for_a_posix_shell(string word, string quoted) => Assert.Equal(quoted, ShellWords.Quote(word));

    [Fact]
    public void Counts_agree_with_their_noun() =>
        Assert.Equal(["0 projects", "1 project", "2 projects"], new[] { 0, 1, 2 }.Select(n => Counted.Of(n, "project")));

    [Fact]
    public void A_value_that_looks_like_an_option_is_written_with_an_equals_sign()
    {
        Assert.Equal("./build.sh UpdateEngine --project api 'my app' --ref=-x",
            ShellWords.Runbook("UpdateEngine", ("--project", ["api", "my app"]), ("--ref", ["-x"])));
        Assert.Equal("./build.sh UpdateEngine '--ref=-x y'", ShellWords.Runbook("UpdateEngine", ("--ref", ["-x y"])));
    }

    [Fact]
    public void A_rerun_is_offered_only_to_projects_it_can_help()
    {
        BumpResult[] results =
        [
            new("api", BumpOutcome.Failed, "ref 'v9$' does not exist", RefMissing: true),
            new("web", BumpOutcome.Failed, "engine/ has uncommitted changes"),
            new("worker", BumpOutcome.Bumped, "Bump engine from v1 to v9$"),
        ];
        Assert.Equal("2 of 3 failed; 'v9$' is not a ref of the engine repository of api; choose one of the tags listed above; "
            + "fix what is said above, then run again: ./build.sh UpdateEngine --project web --ref 'v9$'", BumpSummary.Failure(results, "v9$"));
        Assert.EndsWith("run again: ./build.sh UpdateEngine --project web --ref v2 --restart", BumpSummary.Failure(results, "v2", restart: true));
        Assert.Null(BumpSummary.Failure([results[2]], "v9$"));
    }
}
