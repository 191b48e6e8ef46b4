using System.Globalization;
using Engine.Agents.Cli;
using Engine.Agents.Work.Model;

namespace Engine.Agents.Work.Commands;

/// <summary>The command line of the work verbs: cycle, task, tasks, pause, resume, history, costs.</summary>
internal static class WorkCommandLine
{
    public static readonly IReadOnlySet<string> Verbs = new HashSet<string> { "cycle", "task", "tasks", "pause", "resume", "history", "costs" };

    private static readonly Dictionary<WorkVerb, string[]> Allowed = new()
    {
        [WorkVerb.Cycle] = ["--json", "--no-plan", "--plan-only", "--max-workers", "--scheduled"],
        [WorkVerb.TaskAdd] = ["--description", "--type", "--depends-on"],
        [WorkVerb.TaskShow] = ["--json"],
        [WorkVerb.TaskCancel] = [],
        [WorkVerb.TaskRetry] = [],
        [WorkVerb.Tasks] = ["--state", "--json"],
        [WorkVerb.Pause] = ["--reason"],
        [WorkVerb.Resume] = [],
        [WorkVerb.History] = ["--json", "--limit"],
        [WorkVerb.Costs] = ["--since", "--json"],
    };

    private static readonly HashSet<string> Flags = ["--json", "--no-plan", "--plan-only", "--scheduled"];
    private static readonly HashSet<string> Valued = ["--max-workers", "--description", "--type", "--state", "--reason", "--since", "--limit"];

    public static Invocation Parse(IReadOnlyList<string> args)
    {
        if (args.Any(a => a is "--help" or "-h"))
            return new Invocation(Verb.Help, [], [CommandLine.DefaultConfig]);
        var configs = new List<string>();
        var words = new List<string>();
        var options = new Dictionary<string, string>();
        var dependsOn = new List<string>();
        var seen = new List<string>();

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var (name, inline) = arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=') is var eq and > 0
                ? (arg[..eq], arg[(eq + 1)..])
                : (arg, null);
            if (name == "--config")
                configs.Add(inline ?? (i + 1 < args.Count ? args[++i] : throw new UsageException("--config needs a file, e.g. --config agents.toml")));
            else if (Flags.Contains(name) && inline is null)
                seen.Add(name);
            else if (Valued.Contains(name))
            {
                options[name] = inline ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"{name} needs a value"));
                seen.Add(name);
            }
            else if (name == "--depends-on")
            {
                seen.Add(name);
                if (inline is not null)
                    dependsOn.Add(inline);
                while (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    dependsOn.Add(args[++i]);
                if (dependsOn.Count == 0)
                    throw new UsageException("--depends-on needs one or more task ids, e.g. --depends-on t3 t4");
            }
            else if (arg.StartsWith('-') && arg.Length > 1)
                throw new UsageException($"unknown option '{arg}'; run 'agents --help' for the options");
            else
                words.Add(arg);
        }
        if (configs.Count > 1)
            throw new UsageException("--config is given once; only 'status --json' takes several, to report many projects at once");

        var (verb, operands) = VerbOf(words);
        if (seen.FirstOrDefault(option => !Allowed[verb].Contains(option)) is { } misplaced)
            throw new UsageException($"{misplaced} does not apply to '{Spoken(verb)}'; run 'agents --help' for the options");

        var request = new WorkRequest(verb)
        {
            Json = seen.Contains("--json"),
            NoPlan = seen.Contains("--no-plan"),
            PlanOnly = seen.Contains("--plan-only"),
            Scheduled = seen.Contains("--scheduled"),
            MaxWorkers = options.TryGetValue("--max-workers", out var workers) ? Number(workers, "--max-workers", 1, 64) : null,
            Limit = options.TryGetValue("--limit", out var limit) ? Number(limit, "--limit", 1, 100_000) : null,
            Description = options.GetValueOrDefault("--description"),
            Type = options.GetValueOrDefault("--type"),
            Reason = options.GetValueOrDefault("--reason"),
            State = options.TryGetValue("--state", out var state)
                ? TaskStates.Parse(state) ?? throw new UsageException($"--state '{state}' is not a task state; the states are {string.Join(", ", TaskStates.All.Select(s => s.Name()))}")
                : null,
            Since = options.TryGetValue("--since", out var since)
                ? DateOnly.TryParseExact(since, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                    ? day
                    : throw new UsageException($"--since '{since}' is not a date; write it as 2025-03-01")
                : null,
            DependsOn = dependsOn.Select(id => TaskIdOperand(id, "--depends-on")).ToList(),
        };
        if (request.NoPlan && request.PlanOnly)
            throw new UsageException("--no-plan and --plan-only exclude each other: one skips the plan, the other does only the plan");

        request = verb switch
        {
            WorkVerb.TaskAdd => operands.Count == 1 && operands[0].Trim().Length > 0
                ? request with { Title = operands[0].Trim() }
                : throw new UsageException("task add needs one title (quote it), e.g. agents task add \"Fix the login page\""),
            WorkVerb.TaskShow or WorkVerb.TaskCancel or WorkVerb.TaskRetry => operands.Count == 1
                ? request with { Task = TaskIdOperand(operands[0], Spoken(verb)) }
                : throw new UsageException($"{Spoken(verb)} needs one task id, e.g. agents {Spoken(verb)} t3"),
            _ => operands.Count == 0 ? request : throw new UsageException($"{Spoken(verb)} takes no arguments, got '{operands[0]}'"),
        };
        return new Invocation(Verb.Work, [], configs.Count == 0 ? [CommandLine.DefaultConfig] : configs, request.Json) { Work = request };
    }

    private static (WorkVerb, IReadOnlyList<string>) VerbOf(IReadOnlyList<string> words)
    {
        var rest = words.Skip(1).ToList();
        return words[0] switch
        {
            "cycle" => (WorkVerb.Cycle, rest),
            "tasks" => (WorkVerb.Tasks, rest),
            "pause" => (WorkVerb.Pause, rest),
            "resume" => (WorkVerb.Resume, rest),
            "history" => (WorkVerb.History, rest),
            "costs" => (WorkVerb.Costs, rest),
            _ => rest.Count == 0
                ? throw new UsageException("task needs what to do: add, show, cancel or retry, e.g. agents task show t3")
                : rest[0] switch
                {
                    "add" => (WorkVerb.TaskAdd, rest.Skip(1).ToList()),
                    "show" => (WorkVerb.TaskShow, rest.Skip(1).ToList()),
                    "cancel" => (WorkVerb.TaskCancel, rest.Skip(1).ToList()),
                    "retry" => (WorkVerb.TaskRetry, rest.Skip(1).ToList()),
                    var other => throw new UsageException($"unknown task command '{other}'; it is add, show, cancel or retry"),
                },
        };
    }

    private static long TaskIdOperand(string text, string where) =>
        TaskId.Parse(text) ?? throw new UsageException($"{where}: '{text}' is not a task id; ids look like t3 (see 'agents tasks')");

    private static int Number(string text, string option, int least, int most) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= least && n <= most
            ? n
            : throw new UsageException($"{option} '{text}' must be a whole number from {least} to {most}");

    public static string Spoken(WorkVerb verb) => verb switch
    {
        WorkVerb.TaskAdd => "task add",
        WorkVerb.TaskShow => "task show",
        WorkVerb.TaskCancel => "task cancel",
        WorkVerb.TaskRetry => "task retry",
        _ => verb.ToString().ToLowerInvariant(),
    };
}
