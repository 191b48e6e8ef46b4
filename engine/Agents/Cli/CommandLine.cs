using Engine.Agents.Work.Commands;

namespace Engine.Agents.Cli;

internal static class CommandLine
{
    public const string DefaultConfig = "agents.toml";

    public const string Usage = """
        usage: agents <command> [options] [--config agents.toml]
               agents status --json --config a/agents.toml --config b/agents.toml ...

        commands:
          init DIR               scaffold DIR/agents.toml and DIR/prompts/ (never overwrites)
          up [AGENT...]          check, then start the agents (all when none named) and the watchdog
          down [AGENT...]        stop the named agents (all, and the watchdog, when none named)
          status [--json]        show each agent and the watchdog; with several --config (and --json),
                                 a JSON array: one report per project, in the order given
          logs AGENT [--follow]  print an agent's output log; --follow keeps printing new output
          attach AGENT           attach this terminal to the agent's tmux session (detach: Ctrl-b d);
                                 without a terminal, print the tmux command that does
          --version              print the engine version

        work cycles ([work] in agents.toml):
          cycle [--no-plan | --plan-only] [--max-workers N] [--json]
                                 one cycle in the foreground: plan, work in waves, judge, merge
          task add TITLE [--description D] [--type T] [--depends-on ID...]
                                 queue a task; prints its id
          tasks [--state S] [--json]
                                 list the tasks
          task show ID [--json]  a task's record: states, verdict, gate output, runs, cost
          task cancel ID         cancel a task (a running one is stopped)
          task retry ID          queue a failed, conflict or cancelled task again
          pause [--reason R]     no task starts until resume
          resume                 end a pause (and its count of failures in a row)
          history [--limit N] [--json]
                                 the cycles, newest first
          costs [--since DATE] [--json]
                                 USD and tokens per day, role and model
        """;

    public static Invocation Parse(IReadOnlyList<string> args)
    {
        if (FirstWord(args) is { } word && WorkCommandLine.Verbs.Contains(word))
            return WorkCommandLine.Parse(args);

        var operands = new List<string>();
        string? verbName = null;
        var configs = new List<string>();
        bool json = false, follow = false, version = false, help = false;

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--config")
            {
                if (i + 1 >= args.Count)
                    throw new UsageException("--config needs a file, e.g. --config agents.toml");
                configs.Add(args[++i]);
            }
            else if (arg.StartsWith("--config=", StringComparison.Ordinal))
                configs.Add(arg["--config=".Length..]);
            else if (arg == "--json")
                json = true;
            else if (arg is "--follow" or "-f")
                follow = true;
            else if (arg == "--version")
                version = true;
            else if (arg is "--help" or "-h")
                help = true;
            else if (arg.StartsWith('-') && arg.Length > 1)
                throw new UsageException($"unknown option '{arg}'; run 'agents --help' for the options");
            else if (verbName is null)
                verbName = arg;
            else
                operands.Add(arg);
        }

        if (configs.Count == 0)
            configs.Add(DefaultConfig);
        if (help)
            return new Invocation(Verb.Help, [], configs);
        if (version && verbName is null)
            return new Invocation(Verb.Version, [], configs);
        if (verbName is null)
            throw new UsageException("no command given; run 'agents --help' for the commands");

        var verb = verbName switch
        {
            "init" => Verb.Init,
            "up" => Verb.Up,
            "down" => Verb.Down,
            "status" => Verb.Status,
            "logs" => Verb.Logs,
            "attach" => Verb.Attach,
            "_watchdog" => Verb.Watchdog,
            _ => throw new UsageException($"unknown command '{verbName}'; the commands are init, up, down, status, logs, attach, and for work cycles cycle, task, tasks, pause, resume, history, costs"),
        };

        if (version)
            throw new UsageException("--version takes no command; run 'agents --version'");
        if (json && verb != Verb.Status)
            throw new UsageException("--json applies to 'status' only");
        if (follow && verb != Verb.Logs)
            throw new UsageException("--follow applies to 'logs' only");
        if (verb == Verb.Init && operands.Count != 1)
            throw new UsageException("init needs exactly one directory, e.g. 'agents init .'");
        if (verb is Verb.Logs or Verb.Attach && operands.Count != 1)
            throw new UsageException($"{verbName} needs exactly one agent name, e.g. 'agents {verbName} main'");
        if (verb is Verb.Status or Verb.Watchdog && operands.Count != 0)
            throw new UsageException($"{verbName} takes no arguments, got '{operands[0]}'");
        if (configs.Count > 1 && !(verb == Verb.Status && json))
            throw new UsageException("--config is given once; only 'status --json' takes several, to report many projects at once");

        return new Invocation(verb, operands, configs, json, follow);
    }

    /// <summary>The first argument that is neither an option nor the value of --config.</summary>
    private static string? FirstWord(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--config")
                i++;
            else if (!args[i].StartsWith('-'))
                return args[i];
        }
        return null;
    }
}
