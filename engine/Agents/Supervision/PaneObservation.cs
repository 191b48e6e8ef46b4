namespace Engine.Agents.Supervision;

/// <summary>What one look at tmux and /proc says about an agent's session.</summary>
internal abstract record PaneObservation
{
    /// <summary>No session of that name.</summary>
    public sealed record Absent : PaneObservation;

    /// <summary>Our session, and its process is really alive.</summary>
    public sealed record Alive(int Pid, long PidStart, DateTimeOffset StartedAt) : PaneObservation;

    /// <summary>Our session, kept open after its process ended (or the process is gone).</summary>
    public sealed record Exited(int? ExitCode, DateTimeOffset? At) : PaneObservation;

    /// <summary>
    /// Our session, its process just gone, and tmux not yet told: in a moment the pane is dead with the exit status.
    /// </summary>
    public sealed record Ending : PaneObservation;

    /// <summary>A session of that name that this project did not create: never touched.</summary>
    public sealed record Foreign(string Owner) : PaneObservation;

    public static readonly PaneObservation None = new Absent();
}
