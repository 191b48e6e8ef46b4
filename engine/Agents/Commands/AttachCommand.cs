using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Engine.Agents.Cli;
using Engine.Agents.Processes;
using Engine.Agents.Supervision;

namespace Engine.Agents.Commands;

/// <summary>
/// <c>attach AGENT</c>: on a terminal, becomes <c>tmux -L SOCKET attach -t =SESSION</c>; otherwise
/// prints that command, one line of shell words, for a person or a tool to run where there is one.
/// </summary>
internal static partial class AttachCommand
{
    [DllImport("libc", EntryPoint = "isatty")]
    private static extern int IsATty(int fd);

    // Words of these characters need no quotes in sh, bash or zsh; a leading '=' does in zsh (it
    // would look the word up as a command), so such a word is quoted.
    [GeneratedRegex("^[A-Za-z0-9_@%+:,./-][A-Za-z0-9_@%+=:,./-]*$")]
    private static partial Regex PlainWord();

    public static int Run(Invocation invocation)
    {
        var project = Project.Load(invocation);
        var agent = project.Select(invocation.Operands)[0];
        var session = project.Config.SessionName(agent);
        var panes = project.ListPanes();
        switch (project.Observe(panes, agent))
        {
            case PaneObservation.Absent:
                throw new CommandFailedException($"agent '{agent.Name}' has no tmux session; start it with 'agents up {agent.Name}'");
            case PaneObservation.Foreign:
                throw new CommandFailedException($"tmux session '{session}' was not started by this project; change session_prefix in {project.Config.DisplayPath}");
        }

        string[] command = ["tmux", "-L", project.ServerOf(panes, session).Socket, "attach-session", "-t", "=" + session];
        if (IsATty(0) == 1 && IsATty(1) == 1)
            throw new CommandFailedException($"could not run tmux ({Exec.Replace(command)}); check that it is on PATH");
        Console.WriteLine(string.Join(' ', command.Select(Quote)));
        return 0;
    }

    public static string Quote(string word) =>
        PlainWord().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''") + "'";
}
