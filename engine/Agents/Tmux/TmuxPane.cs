namespace Engine.Agents.Tmux;

/// <summary>One line of <c>tmux list-panes -a</c>: the first pane of a session, whose it is, and on which server.</summary>
internal sealed record TmuxPane(
    string Session,
    int Pid,
    bool Dead,
    int? DeadStatus,
    DateTimeOffset? DeadAt,
    string Owner,
    string Socket);
