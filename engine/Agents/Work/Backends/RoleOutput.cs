using System.Text.Json;
using Engine.Agents.Config;
using Engine.Agents.Work.Model;

namespace Engine.Agents.Work.Backends;

/// <summary>
/// Reads a role's stdout per backend: claude's stream-json (and the same result line from a
/// command), codex's exec --json events.
/// </summary>
internal static class RoleOutput
{
    private const int LongestText = 64 * 1024;

    public static RoleOutcome Parse(Backend backend, string stdout, ProcessEnd end) =>
        backend == Backend.Codex ? Codex(stdout, end) : Stream(backend, stdout, end);

    /// <summary>
    /// The last <c>{"type":"result"}</c> line decides: <c>subtype</c> success and <c>is_error</c> false.
    /// A success subtype with is_error true is a failure. claude must write one; a command may not,
    /// and then its exit code alone decides and its cost is unknown.
    /// </summary>
    private static RoleOutcome Stream(Backend backend, string stdout, ProcessEnd end)
    {
        JsonElement? result = null;
        string? lastText = null;
        foreach (var line in JsonScan.ObjectLines(stdout))
        {
            if (line.String("type") == "result")
                result = line;
            else if (line.String("type") == "assistant" && AssistantText(line) is { } text)
                lastText = text;
        }

        if (result is not { } r)
        {
            var text = Clip(stdout.Trim());
            var error = Interrupted(end)
                ?? (backend == Backend.Claude
                    ? $"claude ended ({ExitOf(end)}) without a result line{Detail(end.ErrorTail)}"
                    : end.ExitCode == 0 ? null : $"the command failed ({ExitOf(end)}){Detail(end.ErrorTail)}");
            return new RoleOutcome(error is null, error, text.Length == 0 ? null : text, null, default, null, null);
        }

        var subtype = r.String("subtype") ?? "unknown";
        var isError = r.Boolean("is_error") ?? false;
        // claude sometimes ends with an empty result although the assistant did answer: its last text stands in.
        var answer = string.IsNullOrWhiteSpace(r.String("result")) ? lastText ?? r.String("result") : r.String("result");
        var turns = r.TryGetProperty("num_turns", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetInt32() : (int?)null;
        var failure = Interrupted(end)
            ?? (subtype != "success" ? $"{Name(backend)} stopped: {subtype}{(turns is { } t ? $" after {t} turns" : "")}{Detail(answer)}"
                : isError ? $"{Name(backend)} reported an error{Detail(answer ?? end.ErrorTail)}"
                : end.ExitCode != 0 ? $"{Name(backend)} exited with {ExitOf(end)} after a successful result{Detail(end.ErrorTail)}"
                : null);
        var usage = r.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object
            ? new TokenUsage(u.Count("input_tokens"), u.Count("output_tokens"), u.Count("cache_read_input_tokens"), u.Count("cache_creation_input_tokens"))
            : default;
        return new RoleOutcome(failure is null, failure, answer is null ? null : Clip(answer), r.Number("total_cost_usd"), usage, turns, r.String("session_id"));
    }

    /// <summary>codex reports tokens per turn and no price; its answer is the last agent message.</summary>
    private static RoleOutcome Codex(string stdout, ProcessEnd end)
    {
        string? answer = null, session = null, failure = null;
        var tokens = default(TokenUsage);
        var turns = 0;
        foreach (var line in JsonScan.ObjectLines(stdout))
        {
            switch (line.String("type"))
            {
                case "thread.started":
                    session = line.String("thread_id");
                    break;
                case "item.completed" when line.TryGetProperty("item", out var item) && item.String("type") == "agent_message":
                    answer = item.String("text") ?? answer;
                    break;
                case "turn.completed":
                    turns++;
                    if (line.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object)
                    {
                        var cached = u.Count("cached_input_tokens");
                        tokens += new TokenUsage(Math.Max(0, u.Count("input_tokens") - cached), u.Count("output_tokens"), cached, 0);
                    }
                    break;
                case "turn.failed":
                    failure = "codex turn failed" + Detail(line.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e.String("message") : null);
                    break;
                case "error":
                    failure ??= "codex error" + Detail(line.String("message"));
                    break;
            }
        }
        failure = Interrupted(end) ?? failure ?? (end.ExitCode == 0 ? null : $"codex exited with {ExitOf(end)}{Detail(end.ErrorTail)}");
        return new RoleOutcome(failure is null, failure, answer is null ? null : Clip(answer), null, tokens, turns, session);
    }

    private static string? AssistantText(JsonElement line)
    {
        if (!line.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object
            || !message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
            return null;
        var texts = content.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object && c.String("type") == "text")
            .Select(c => c.String("text")).OfType<string>().ToList();
        return texts.Count == 0 ? null : string.Join("\n", texts);
    }

    private static string? Interrupted(ProcessEnd end) =>
        end.TimedOut ? $"timed out after {Durations.Humanize(end.Limit)} (task_timeout); stopped with every process it started"
        : end.Stopped ? "stopped before it finished"
        : null;

    private static string ExitOf(ProcessEnd end) => end.ExitCode is { } code ? $"exit code {code}" : "killed by a signal";

    private static string Name(Backend backend) => backend == Backend.Claude ? "claude" : "the command";

    /// <summary>": first line" of a detail, or nothing.</summary>
    public static string Detail(string? text)
    {
        var line = text?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (string.IsNullOrEmpty(line))
            return "";
        return ": " + (line.Length > 300 ? line[..300] + "..." : line);
    }

    private static string Clip(string text) => text.Length > LongestText ? "..." + text[^LongestText..] : text;
}
