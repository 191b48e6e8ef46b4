namespace Engine.Agents.Tmux;

/// <summary>One line of <c>tmux list-panes -a</c>: the first pane of a session and whose it is.</summary>
internal sealed record TmuxPane(
    string Session,
    int Pid,
    bool Dead,
    int? DeadStatus,
    DateTimeOffset? DeadAt,
    string Owner);
