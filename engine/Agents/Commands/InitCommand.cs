using System.Text.RegularExpressions;
using Engine.Agents.Cli;

namespace Engine.Agents.Commands;

/// <summary><c>init DIR</c>: scaffolds agents.toml and prompts/ in DIR, never overwriting a file.</summary>
internal static partial class InitCommand
{
    [GeneratedRegex("[^A-Za-z0-9_-]+")]
    private static partial Regex NotSessionSafe();

    public static int Run(Invocation invocation)
    {
        var directory = Path.GetFullPath(invocation.Operands[0]);
        if (File.Exists(directory))
            throw new CommandFailedException($"'{invocation.Operands[0]}' is a file; give a directory to init");
        Directory.CreateDirectory(directory);

        var prefix = NotSessionSafe().Replace(Path.GetFileName(directory.TrimEnd('/')), "-").Trim('-');
        Write(directory, "agents.toml", AgentsToml(prefix.Length == 0 ? "project" : prefix));
        Write(directory, Path.Combine("prompts", "main.md"), MainPrompt);
        return 0;
    }

    private static void Write(string directory, string relative, string text)
    {
        var path = Path.Combine(directory, relative);
        if (File.Exists(path))
        {
            Console.WriteLine($"kept    {path} (exists)");
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // CreateNew: never overwrite, even a file that appeared since the check above.
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        using (var writer = new StreamWriter(file))
            writer.Write(text);
        Console.WriteLine($"created {path}");
    }

    private static string AgentsToml(string prefix) => $$"""
        # The agents of this project, run by engine/agents: 'engine/agents up', 'status', 'down'.
        # Every key is described in engine/README.md.

        # Each agent runs in the tmux session <session_prefix><name>, on this project's own tmux server.
        # Watch or talk to one with 'engine/agents attach main' (detach: Ctrl-b d).
        session_prefix = "{{prefix}}-"

        [[agent]]
        name = "main"
        kind = "persistent"           # or "oneshot": runs to its end, started again by its wake
        backend = "claude"            # or "codex", or "command" with command = ["program", "arg"]
        prompt = "prompts/main.md"    # its text starts the agent
        watch = "heal"                # restart it when it dies; "none" leaves it down
        # wake = "30m"                # or a cron line, "0 9 * * 1-5": types wake_prompt into it
        # wake_prompt = "prompts/wake.md"
        # args = ["--model", "opus"]  # extra arguments for the backend's program
        # env = { EXAMPLE = "value" }
        # workdir = "."

        """;

    private const string MainPrompt = """
        You are the main agent of this project, working unattended in a tmux session.

        Read README.md to learn what the project is and how it is built and tested, then pick the most
        useful next piece of work, do it in small steps, and commit each step with a clear message.
        """;
}
