using Engine.Agents.Work.Backends;

namespace Engine.Tests.Unit.Work;

public sealed class VerdictTests
{
    [Fact]
    public void A_pass_with_reasons()
    {
        var verdict = Verdict.Read(["Looks good.\n{\"verdict\": \"pass\", \"reasons\": [\"clean\"]}"]);
        Assert.True(verdict.Passed);
        Assert.Equal(["clean"], verdict.Reasons);
    }

    [Fact]
    public void A_fail_without_reasons_gets_one()
    {
        var verdict = Verdict.Read(["{\"verdict\": \"FAIL\"}"]);
        Assert.False(verdict.Passed);
        Assert.Equal(["the reviewer failed it without a reason"], verdict.Reasons);
    }

    [Fact]
    public void No_verdict_is_a_fail() =>
        Assert.False(Verdict.Read(["I think it is fine"]).Passed);

    [Fact]
    public void An_unknown_word_is_a_fail_that_says_so() =>
        Assert.Contains("'maybe'", Verdict.Read(["{\"verdict\": \"maybe\"}"]).Reasons[0]);
}
