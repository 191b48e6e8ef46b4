using Engine.Agents.Config;
using Engine.Agents.Work.Backends;

namespace Engine.Tests.Unit.Work;

public sealed class RoleOutputTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(15);

    private static string Transcript(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Transcripts", name));

    private static ProcessEnd Exit(int? code, bool timedOut = false, string stderr = "") => new(code, timedOut, false, Limit, stderr);

    [Fact]
    public void A_claude_transcript_gives_the_result_cost_tokens_turns_and_session()
    {
        var outcome = RoleOutput.Parse(Backend.Claude, Transcript("claude-worker-success.jsonl"), Exit(0));

        Assert.True(outcome.Succeeded);
        Assert.Null(outcome.Error);
        Assert.Equal("Added hello.txt with the greeting; nothing else changed.", outcome.Text);
        Assert.Equal(0.0421375, outcome.CostUsd);
        Assert.Equal((10L, 115L, 5231L, 5359L), (outcome.Tokens.Input, outcome.Tokens.Output, outcome.Tokens.CacheRead, outcome.Tokens.CacheCreation));
        Assert.Equal(3, outcome.Turns);
        Assert.Equal("5b0e7c1d-2f4a-4c8e-9d61-0a7f3c2b9e10", outcome.SessionId);
    }

    [Fact]
    public void Is_error_with_subtype_success_is_a_failure_and_still_costs()
    {
        var outcome = RoleOutput.Parse(Backend.Claude, Transcript("claude-worker-is-error.jsonl"), Exit(0));

        Assert.False(outcome.Succeeded);
        Assert.StartsWith("claude reported an error: API Error: 529", outcome.Error);
        Assert.Equal(0.0198, outcome.CostUsd);
    }

    [Fact]
    public void An_error_subtype_is_a_failure_that_names_it()
    {
        var outcome = RoleOutput.Parse(Backend.Claude, Transcript("claude-max-turns.jsonl"), Exit(0));

        Assert.False(outcome.Succeeded);
        Assert.Equal("claude stopped: error_max_turns after 11 turns", outcome.Error);
        Assert.Equal(0.3125, outcome.CostUsd);
    }

    [Fact]
    public void Claude_without_a_result_line_failed_whatever_its_exit()
    {
        var outcome = RoleOutput.Parse(Backend.Claude, "{\"type\":\"system\",\"subtype\":\"init\"}\n", Exit(0, stderr: "Error: When using --print, --output-format=stream-json requires --verbose\n"));

        Assert.False(outcome.Succeeded);
        Assert.Equal("claude ended (exit code 0) without a result line: Error: When using --print, --output-format=stream-json requires --verbose", outcome.Error);
        Assert.Null(outcome.CostUsd);
    }

    [Fact]
    public void An_empty_result_falls_back_to_the_last_thing_the_assistant_said()
    {
        var stream = """
            {"type":"assistant","message":{"content":[{"type":"text","text":"Done: the file is in place."}]}}
            {"type":"result","subtype":"success","is_error":false,"result":"","total_cost_usd":0.01}
            """;

        Assert.Equal("Done: the file is in place.", RoleOutput.Parse(Backend.Claude, stream, Exit(0)).Text);
    }

    [Fact]
    public void A_timeout_fails_even_after_a_successful_result()
    {
        var outcome = RoleOutput.Parse(Backend.Claude, Transcript("claude-worker-success.jsonl"), Exit(null, timedOut: true));

        Assert.False(outcome.Succeeded);
        Assert.StartsWith("timed out after 15m (task_timeout)", outcome.Error);
        Assert.Equal(0.0421375, outcome.CostUsd);
    }

    [Fact]
    public void Codex_events_give_tokens_without_a_price_and_the_last_message()
    {
        var outcome = RoleOutput.Parse(Backend.Codex, Transcript("codex-worker.jsonl"), Exit(0));

        Assert.True(outcome.Succeeded);
        Assert.Equal("Created hello.txt with the greeting.", outcome.Text);
        Assert.Null(outcome.CostUsd);
        Assert.Equal((26549L - 22272L, 1590L, 22272L), (outcome.Tokens.Input, outcome.Tokens.Output, outcome.Tokens.CacheRead));
        Assert.Equal("0199a213-81c0-7800-8aa1-bbab2a035a53", outcome.SessionId);
    }

    [Fact]
    public void A_failed_codex_turn_is_a_failure()
    {
        var outcome = RoleOutput.Parse(Backend.Codex, "{\"type\":\"turn.failed\",\"error\":{\"message\":\"stream disconnected\"}}\n", Exit(1));

        Assert.False(outcome.Succeeded);
        Assert.Equal("codex turn failed: stream disconnected", outcome.Error);
    }

    [Fact]
    public void A_command_without_a_result_line_is_judged_by_its_exit_and_costs_unknown()
    {
        var ok = RoleOutput.Parse(Backend.Command, "did it\n", Exit(0));
        var failed = RoleOutput.Parse(Backend.Command, "trying\n", Exit(3, stderr: "no space left\n"));

        Assert.True(ok.Succeeded);
        Assert.Equal("did it", ok.Text);
        Assert.Null(ok.CostUsd);
        Assert.False(failed.Succeeded);
        Assert.Equal("the command failed (exit code 3): no space left", failed.Error);
    }

    [Fact]
    public void A_command_result_line_is_read_like_claudes_and_a_non_zero_exit_still_fails()
    {
        const string line = "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"ok\",\"total_cost_usd\":0.25,\"usage\":{\"input_tokens\":100,\"output_tokens\":50}}\n";

        var ok = RoleOutput.Parse(Backend.Command, "working\n" + line, Exit(0));
        var failed = RoleOutput.Parse(Backend.Command, line, Exit(1));

        Assert.True(ok.Succeeded);
        Assert.Equal(0.25, ok.CostUsd);
        Assert.Equal(150, ok.Tokens.Total);
        Assert.False(failed.Succeeded);
        Assert.Equal(0.25, failed.CostUsd);
    }
}
