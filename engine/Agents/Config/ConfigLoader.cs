using System.Text.RegularExpressions;
using Engine.Agents.Launching;
using Engine.Agents.Scheduling;
using Engine.Agents.Work.Config;
using Engine.Toml;

namespace Engine.Agents.Config;

/// <summary>Reads agents.toml into a <see cref="ProjectConfig"/>; every mistake is reported at its line and column.</summary>
internal static partial class ConfigLoader
{
    private static readonly TimeSpan ShortestInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestInterval = TimeSpan.FromMinutes(10);

    private static readonly string[] TopLevelKeys = ["session_prefix", "watchdog_interval", "agent", "work"];
    private static readonly string[] AgentKeys =
        ["name", "kind", "backend", "command", "args", "prompt", "watch", "wake", "wake_prompt", "env", "workdir"];

    [GeneratedRegex("^[A-Za-z0-9_-]*$")]
    private static partial Regex SessionSafe();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvironmentName();

    public static ProjectConfig Load(string path)
    {
        var display = DisplayName(path);
        if (!File.Exists(path))
            throw new ConfigException($"agents: {display} not found; run 'agents init .' to create one, or pass --config FILE");

        TomlDocument document;
        try
        {
            document = TomlDocument.Parse(File.ReadAllBytes(path), display);
        }
        catch (TomlException e)
        {
            throw new ConfigException(e.Errors[0].ToString());
        }

        var configPath = Path.GetFullPath(path);
        var projectDir = CanonicalPath.Of(Path.GetDirectoryName(configPath)!);
        return Read(document.Root, configPath, display, projectDir, TimeZoneInfo.Local);
    }

    /// <summary>Validates a parsed document; separate from <see cref="Load"/> so it is tested without files.</summary>
    public static ProjectConfig Read(TomlTable root, string configPath, string display, string projectDir, TimeZoneInfo zone)
    {
        var reader = new Reader(display, zone);
        string? prefix = null;
        var interval = ProjectConfig.DefaultWatchdogInterval;
        var agents = new List<AgentSpec>();
        WorkConfig? work = null;

        foreach (var entry in root)
        {
            switch (entry.Key)
            {
                case "session_prefix":
                    prefix = reader.String(entry);
                    if (!SessionSafe().IsMatch(prefix))
                        throw reader.Error(entry.Value, $"session_prefix '{prefix}' may hold only letters, digits, '_' and '-' (tmux session names); e.g. \"myproj-\"");
                    break;
                case "watchdog_interval":
                    interval = reader.Duration(entry);
                    if (interval < ShortestInterval || interval > LongestInterval)
                        throw reader.Error(entry.Value, "watchdog_interval must be between 100ms and 10m; e.g. \"5s\"");
                    break;
                case "agent":
                    agents.AddRange(reader.TableArray(entry).Select(reader.Agent));
                    break;
                case "work":
                    work = reader.Work(entry);
                    break;
                default:
                    throw reader.UnknownKey(entry, "", TopLevelKeys);
            }
        }

        var start = new SourceLocation(display, 1, 1);
        if (prefix is null)
            throw new ConfigException(start, "session_prefix is missing; add a line like session_prefix = \"myproj-\" (agents run in tmux sessions <session_prefix><name>)");
        if (agents.Count == 0 && work is null)
            throw new ConfigException(start, "no [[agent]] table; add one with name, backend and prompt, or a [work] table (see engine/README.md)");
        var duplicate = agents.GroupBy(a => a.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ConfigException(duplicate.Last().Where("name"), $"agent name '{duplicate.Key}' is used twice; give each [[agent]] its own name");

        return new ProjectConfig(configPath, display, projectDir, prefix, interval, agents, work);
    }

    /// <summary>The path as the user would recognise it: relative to the current folder when inside it.</summary>
    private static string DisplayName(string path)
    {
        var full = Path.GetFullPath(path);
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, full);
        return relative.StartsWith("..", StringComparison.Ordinal) ? full : relative;
    }

    private sealed partial class Reader(string file, TimeZoneInfo zone)
    {
        public AgentSpec Agent(TomlTable table)
        {
            var at = Location(table.Line, table.Column);
            var locations = new Dictionary<string, SourceLocation>();
            string? name = null, prompt = null, wakePrompt = null, workdir = null;
            AgentKind kind = AgentKind.Persistent;
            Backend? backend = null;
            WatchMode watch = WatchMode.Heal;
            WakeSchedule? wake = null;
            IReadOnlyList<string>? command = null, args = null;
            IReadOnlyDictionary<string, string> env = new Dictionary<string, string>();

            foreach (var entry in table)
            {
                locations[entry.Key] = Location(entry.Value.Line, entry.Value.Column);
                switch (entry.Key)
                {
                    case "name":
                        name = String(entry);
                        if (name.Length == 0 || !SessionSafe().IsMatch(name))
                            throw Error(entry.Value, $"agent name '{name}' must be letters, digits, '_' or '-'; e.g. \"main\"");
                        break;
                    case "kind":
                        kind = Choice(entry, ("persistent", AgentKind.Persistent), ("oneshot", AgentKind.Oneshot));
                        break;
                    case "backend":
                        backend = Choice(entry, ("claude", Backend.Claude), ("codex", Backend.Codex), ("command", Backend.Command));
                        break;
                    case "watch":
                        watch = Choice(entry, ("heal", WatchMode.Heal), ("none", WatchMode.None));
                        break;
                    case "command":
                        command = Strings(entry);
                        if (command.Count == 0 || command[0].Length == 0)
                            throw Error(entry.Value, "command must name a program, e.g. command = [\"./run.sh\", \"--flag\"]");
                        break;
                    case "args":
                        args = Strings(entry);
                        break;
                    case "prompt":
                        prompt = Path(entry);
                        break;
                    case "wake_prompt":
                        wakePrompt = Path(entry);
                        break;
                    case "workdir":
                        workdir = Path(entry);
                        break;
                    case "wake":
                        wake = WakeSchedule.TryParse(String(entry), zone, out var problem)
                            ?? throw Error(entry.Value, $"wake: {problem}");
                        break;
                    case "env":
                        env = Environment(entry);
                        break;
                    default:
                        throw UnknownKey(entry, "[[agent]] ", AgentKeys);
                }
            }

            var who = name is null ? "[[agent]]" : $"agent '{name}'";
            if (name is null)
                throw new ConfigException(at, "[[agent]] has no name; add name = \"main\"");
            if (backend is null)
                throw new ConfigException(at, $"{who} has no backend; add backend = \"claude\", \"codex\" or \"command\"");
            if (backend == Backend.Command && command is null)
                throw new ConfigException(at, $"{who} has backend \"command\" but no command; add command = [\"program\", \"arg\"]");
            if (backend != Backend.Command && command is not null)
                throw new ConfigException(locations["command"], $"{who}: command is only for backend \"command\"; use args for extra {Lower(backend.Value)} arguments");
            if (backend == Backend.Command && args is not null)
                throw new ConfigException(locations["args"], $"{who}: args is only for claude and codex; put the arguments in command");
            if (backend != Backend.Command && prompt is null)
                throw new ConfigException(at, $"{who} has no prompt; add prompt = \"prompts/{name}.md\" (its text starts the agent)");
            if (wakePrompt is not null && wake is null)
                throw new ConfigException(locations["wake_prompt"], $"{who} has a wake_prompt but no wake; add wake = \"30m\" or remove wake_prompt");
            if (wake is not null && kind == AgentKind.Persistent && prompt is null && wakePrompt is null)
                throw new ConfigException(locations["wake"], $"{who}: a wake types wake_prompt into the agent; add wake_prompt = \"prompts/wake.md\"");

            return new AgentSpec(name, kind, backend.Value, command ?? [], args ?? [], prompt, watch, wake, wakePrompt, env, workdir, at, locations);
        }

        public IEnumerable<TomlTable> TableArray(TomlEntry entry)
        {
            if (entry.Value is TomlArray array && array.All(item => item is TomlTable))
                return array.Cast<TomlTable>();
            throw Error(entry.Value, "agents are declared as [[agent]] tables, one per agent");
        }

        public string String(TomlEntry entry) =>
            entry.Value.Kind == TomlKind.String ? entry.Value.AsString() : throw Error(entry.Value, $"{entry.Key} must be a string in quotes");

        public TimeSpan Duration(TomlEntry entry) =>
            Durations.TryParse(String(entry), out var duration)
                ? duration
                : throw Error(entry.Value, $"{entry.Key} '{entry.Value.AsString()}' is not a duration; write e.g. \"500ms\", \"5s\" or \"1m\"");

        private string Path(TomlEntry entry)
        {
            var path = String(entry);
            return path.Length > 0 ? path : throw Error(entry.Value, $"{entry.Key} is empty; give a path relative to the project folder");
        }

        private T Choice<T>(TomlEntry entry, params (string Word, T Value)[] choices)
        {
            var word = String(entry);
            foreach (var choice in choices)
                if (choice.Word == word)
                    return choice.Value;
            var allowed = string.Join(" or ", choices.Select(c => $"'{c.Word}'"));
            throw Error(entry.Value, $"{entry.Key} must be {allowed}, not '{word}'");
        }

        private IReadOnlyList<string> Strings(TomlEntry entry)
        {
            if (entry.Value is not TomlArray array)
                throw Error(entry.Value, $"{entry.Key} must be an array of strings, e.g. [\"a\", \"b\"]");
            foreach (var item in array)
                if (item.Kind != TomlKind.String)
                    throw Error(item, $"{entry.Key} holds only strings; quote this value");
            return array.Select(item => item.AsString()).ToList();
        }

        private Dictionary<string, string> Environment(TomlEntry entry)
        {
            if (entry.Value is not TomlTable table)
                throw Error(entry.Value, "env must be a table, e.g. env = { NAME = \"value\" }");
            var variables = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var variable in table)
            {
                if (!EnvironmentName().IsMatch(variable.Key))
                    throw new ConfigException(Location(variable.Line, variable.Column),
                        $"env name '{variable.Key}' is not a valid environment variable name (letters, digits, '_')");
                if (variable.Key is AgentMarker.Owner or AgentMarker.Name)
                    throw new ConfigException(Location(variable.Line, variable.Column),
                        $"env: {variable.Key} is set by the engine, to find every process the agent starts; remove it");
                var value = String(variable);
                if (value.Contains('\0'))
                    throw Error(variable.Value, $"env: the value of {variable.Key} holds a NUL character (\\u0000), which no environment variable can; remove it");
                variables[variable.Key] = value;
            }
            return variables;
        }

        public ConfigException UnknownKey(TomlEntry entry, string where, string[] known) =>
            new(Location(entry.Line, entry.Column),
                $"unknown {where}key '{entry.Key}'; the keys are {string.Join(", ", known)}");

        public ConfigException Error(TomlValue value, string message) => new(Location(value.Line, value.Column), message);

        private SourceLocation Location(int line, int column) => new(file, line, column);
    }

    private static string Lower(Backend backend) => backend.ToString().ToLowerInvariant();
}
