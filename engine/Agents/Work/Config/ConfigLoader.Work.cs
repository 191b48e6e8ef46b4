using Engine.Agents.Work.Config;
using Engine.Agents.Work.Model;
using Engine.Toml;

namespace Engine.Agents.Config;

/// <summary>The <c>[work]</c> table: how the project's work cycles run (engine/README.md, "Work cycles").</summary>
internal static partial class ConfigLoader
{
    private static readonly string[] WorkKeys =
    [
        "backend", "model", "planner_model", "reviewer_model", "max_workers", "task_timeout", "gate_timeout",
        "max_budget_per_task", "max_budget_per_day", "max_turns", "permission_mode", "test", "lint", "ai_review",
        "context", "backlog", "interval", "pause_after_failures", "planner_command", "worker_command",
        "reviewer_command", "resolver_command", "main_branch", "stale_after", "stopped_after",
    ];

    private static readonly TimeSpan ShortestWorkInterval = TimeSpan.FromSeconds(1);

    private sealed partial class Reader
    {
        public WorkConfig Work(TomlEntry entry)
        {
            if (entry.Value is not TomlTable table)
                throw Error(entry.Value, "work is a table: write [work] on its own line, then its keys");
            var at = Location(table.Line, table.Column);
            var locations = new Dictionary<string, SourceLocation>();
            Backend? backend = null;
            string? model = null, plannerModel = null, reviewerModel = null, backlog = null, mainBranch = null;
            var permissionMode = WorkConfig.DefaultPermissionMode;
            int maxWorkers = WorkConfig.DefaultMaxWorkers, pauseAfter = WorkConfig.DefaultPauseAfterFailures;
            int? maxTurns = null;
            TimeSpan taskTimeout = WorkConfig.DefaultTaskTimeout, gateTimeout = WorkConfig.DefaultGateTimeout;
            TimeSpan staleAfter = HeartbeatThresholds.Default.StaleAfter, stoppedAfter = HeartbeatThresholds.Default.StoppedAfter;
            TimeSpan? interval = null;
            double? perTask = null, perDay = null;
            IReadOnlyList<string>? test = null, lint = null;
            IReadOnlyList<string> context = [];
            var aiReview = false;
            var commands = new Dictionary<WorkRole, IReadOnlyList<string>>();

            foreach (var item in table)
            {
                locations[item.Key] = Location(item.Value.Line, item.Value.Column);
                switch (item.Key)
                {
                    case "backend":
                        backend = Choice(item, ("claude", Backend.Claude), ("codex", Backend.Codex), ("command", Backend.Command));
                        break;
                    case "model":
                        model = Word(item);
                        break;
                    case "planner_model":
                        plannerModel = Word(item);
                        break;
                    case "reviewer_model":
                        reviewerModel = Word(item);
                        break;
                    case "permission_mode":
                        permissionMode = Word(item);
                        break;
                    case "max_workers":
                        maxWorkers = (int)Integer(item, 1, 64);
                        break;
                    case "max_turns":
                        maxTurns = (int)Integer(item, 1, 10_000);
                        break;
                    case "pause_after_failures":
                        pauseAfter = (int)Integer(item, 0, 1_000);
                        break;
                    case "task_timeout":
                        taskTimeout = Duration(item);
                        break;
                    case "gate_timeout":
                        gateTimeout = Duration(item);
                        break;
                    case "stale_after":
                        staleAfter = Duration(item);
                        break;
                    case "stopped_after":
                        stoppedAfter = Duration(item);
                        break;
                    case "interval":
                        interval = Duration(item);
                        if (interval < ShortestWorkInterval)
                            throw Error(item.Value, "interval must be at least 1s; e.g. \"30m\"");
                        break;
                    case "max_budget_per_task":
                        perTask = Usd(item);
                        break;
                    case "max_budget_per_day":
                        perDay = Usd(item);
                        break;
                    case "test":
                        test = Argv(item);
                        break;
                    case "lint":
                        lint = Argv(item);
                        break;
                    case "ai_review":
                        aiReview = item.Value.Kind == TomlKind.Boolean
                            ? item.Value.AsBoolean()
                            : throw Error(item.Value, "ai_review must be true or false");
                        break;
                    case "context":
                        context = Strings(item);
                        if (context.Any(path => path.Length == 0))
                            throw Error(item.Value, "context holds file paths relative to the project folder; remove the empty one");
                        break;
                    case "backlog":
                        backlog = Path(item);
                        break;
                    case "main_branch":
                        mainBranch = Word(item);
                        break;
                    case "planner_command":
                        commands[WorkRole.Planner] = Argv(item);
                        break;
                    case "worker_command":
                        commands[WorkRole.Worker] = Argv(item);
                        break;
                    case "reviewer_command":
                        commands[WorkRole.Reviewer] = Argv(item);
                        break;
                    case "resolver_command":
                        commands[WorkRole.Resolver] = Argv(item);
                        break;
                    default:
                        throw UnknownKey(item, "[work] ", WorkKeys);
                }
            }

            if (backend is null)
                throw new ConfigException(at, "[work] has no backend; add backend = \"claude\", \"codex\" or \"command\"");
            if (backend == Backend.Command)
            {
                if (!commands.ContainsKey(WorkRole.Worker))
                    throw new ConfigException(at, "[work] has backend \"command\" but no worker_command; add worker_command = [\"program\", \"arg\"]");
                if (aiReview && !commands.ContainsKey(WorkRole.Reviewer))
                    throw new ConfigException(locations["ai_review"], "[work] has ai_review = true but no reviewer_command; add reviewer_command = [\"program\"]");
            }
            else if (commands.Count > 0)
            {
                var key = commands.Keys.Select(role => role.Name() + "_command").First(locations.ContainsKey);
                throw new ConfigException(locations[key], $"{key} is only for backend \"command\"; {Lower(backend.Value)} runs every role itself");
            }
            if (staleAfter >= stoppedAfter)
                throw new ConfigException(locations.GetValueOrDefault("stale_after", at), "stale_after must be shorter than stopped_after; e.g. \"10m\" and \"1h\"");

            return new WorkConfig(backend.Value, model, plannerModel, reviewerModel, maxWorkers, taskTimeout, gateTimeout,
                perTask, perDay, maxTurns, permissionMode, test, lint, aiReview, context, backlog, interval, pauseAfter,
                commands, mainBranch, new HeartbeatThresholds(staleAfter, stoppedAfter), at);
        }

        private string Word(TomlEntry entry)
        {
            var text = String(entry);
            return text.Length > 0 && !text.Any(char.IsWhiteSpace)
                ? text
                : throw Error(entry.Value, $"{entry.Key} must be one word, e.g. \"sonnet\"");
        }

        private long Integer(TomlEntry entry, long least, long most)
        {
            if (entry.Value.Kind != TomlKind.Integer)
                throw Error(entry.Value, $"{entry.Key} must be a whole number from {least} to {most}");
            var value = entry.Value.AsInteger();
            return value >= least && value <= most
                ? value
                : throw Error(entry.Value, $"{entry.Key} must be from {least} to {most}, not {value}");
        }

        private double Usd(TomlEntry entry)
        {
            var value = entry.Value.Kind switch
            {
                TomlKind.Float => entry.Value.AsFloat(),
                TomlKind.Integer => entry.Value.AsInteger(),
                _ => throw Error(entry.Value, $"{entry.Key} is an amount in USD, e.g. 0.50"),
            };
            return value > 0 && double.IsFinite(value)
                ? value
                : throw Error(entry.Value, $"{entry.Key} must be more than 0 (leave it out for no limit)");
        }

        /// <summary>A program and its arguments: never a shell string.</summary>
        private IReadOnlyList<string> Argv(TomlEntry entry)
        {
            var argv = Strings(entry);
            return argv.Count > 0 && argv[0].Length > 0
                ? argv
                : throw Error(entry.Value, $"{entry.Key} must name a program, e.g. {entry.Key} = [\"./run.sh\", \"--flag\"]");
        }
    }
}
