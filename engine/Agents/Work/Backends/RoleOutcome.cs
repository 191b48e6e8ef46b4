using Engine.Agents.Work.Model;

namespace Engine.Agents.Work.Backends;

/// <summary>What one role run came to, read from its output stream and exit.</summary>
/// <param name="Error">Why it failed, in one line; null when it succeeded.</param>
/// <param name="Text">Its final answer: claude's result, codex's last message, a command's result or output.</param>
/// <param name="CostUsd">Null when the backend did not say (codex never does).</param>
internal sealed record RoleOutcome(
    bool Succeeded,
    string? Error,
    string? Text,
    double? CostUsd,
    TokenUsage Tokens,
    int? Turns,
    string? SessionId);

/// <summary>How the process ended, as far as the output parser needs to know.</summary>
internal sealed record ProcessEnd(int? ExitCode, bool TimedOut, bool Stopped, TimeSpan Limit, string ErrorTail);
