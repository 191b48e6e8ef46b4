namespace Orchestrator.Isolation;

/// <summary>
/// One place where a project knows the orchestrator: a line of a file (<see cref="Line"/> set) or a file or folder
/// name (<see cref="Line"/> null). <see cref="Path"/> is relative to the project root, with '/' separators.
/// <see cref="Text"/> is the trimmed line (shortened around the match when very long) or the offending name;
/// <see cref="Match"/> is the matched text as the file spells it. A violation in a file the registry's
/// isolation_allow lists is shown but does not fail: <see cref="AllowedBy"/> names the glob.
/// </summary>
internal sealed record IsolationViolation(string Path, int? Line, string Text, string Match, IsolationRule Rule, string? AllowedBy)
{
    public bool Allowed => AllowedBy is not null;
}
