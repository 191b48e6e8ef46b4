using System.Text.RegularExpressions;
using TestSupport;

namespace EndToEnd.Tests;

/// <summary>
/// The README's quick start, command by command as written, in a fresh clone of its own (it commits to the clone's
/// engine/VERSION), with a default engine repository of its own: what a new user does after cloning.
/// </summary>
public sealed partial class QuickStartTests : IDisposable
{
    /// <summary>The tmux session of the quick start's agent: its name is fixed by the README's agents.toml.</summary>
    private const string Session = "demo-main";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    private static readonly string[] PassedThrough =
        ["PATH", "HOME", "USER", "LANG", "TMPDIR", "TMUX_TMPDIR", "XDG_CACHE_HOME", "DOTNET_ROOT", "DOTNET_CLI_HOME", "NUGET_PACKAGES"];

    private readonly FreshClone _clone = new();
    private readonly TemporaryFolder _data = new();
    private bool _finished;

    private string Demo => Path.Combine(_clone.Root, "projects", "demo");

    [Fact]
    public void From_a_fresh_clone_to_a_running_project_and_back()
    {
        var readme = File.ReadAllText(Path.Combine(_clone.Root, "README.md"));
        var commands = ShellCommands(Markdown.FencedBlock(readme, "## Quick start", "sh"));
        var outputs = new Dictionary<string, Outcome>();
        for (var i = 0; i < commands.Count; i++)
        {
            var step = $"quick start command {i + 1} of {commands.Count}, {commands[i]},";
            Outcome outcome;
            try
            {
                outcome = InCleanEnvironment(_clone.Root, "bash", "-e", "-c", commands[i]);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"{step} did not finish in {CommandTimeout.TotalMinutes} minutes");
            }
            Assert.True(outcome.ExitCode == 0, $"{step} failed\n{outcome}");
            outputs[commands[i]] = outcome;
        }
        _finished = true;

        Assert.True(Directory.Exists(Demo), "the quick start made no projects/demo");
        Assert.True(outputs.TryGetValue("./build.sh FleetStatus --live", out var live), "the quick start no longer runs ./build.sh FleetStatus --live");
        Assert.Contains("1/1 agents running", live.Out);
        var bump = Shell.Git(Demo, "log", "-1", "--format=%s");
        Assert.Matches(@"^Bump engine from v0\.1\.0 \([0-9a-f]{7}\) to v0\.1\.1 \([0-9a-f]{7}\)$", bump);
        Assert.Contains("ref = \"v0.1.1\"", File.ReadAllText(Path.Combine(_clone.Root, "fleet.toml")));
        Assert.False(SessionExists(), $"tmux session '{Session}' still runs after the quick start stopped the project");
    }

    public void Dispose()
    {
        // The project's agents run on its own tmux server, named after its folder in this test's clone:
        // its engine stops them, and nothing else is touched.
        if (!_finished && File.Exists(Path.Combine(Demo, "engine", "agents")))
            InCleanEnvironment(Demo, "engine/agents", "down");
        _clone.Dispose();
        _data.Dispose();
    }

    /// <summary>Whether the agent's session runs on the project's tmux server, which the engine names in status --json.</summary>
    private bool SessionExists()
    {
        var status = InCleanEnvironment(Demo, "engine/agents", "status", "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        var socket = System.Text.Json.JsonDocument.Parse(status.Out).RootElement.GetProperty("tmux_socket").GetString()!;
        return InCleanEnvironment(Demo, "tmux", "-L", socket, "has-session", "-t", $"={Session}").ExitCode == 0;
    }

    /// <summary>
    /// Runs as a new user would, in an environment of only the basics: no variable can pick a fleet file, a project or
    /// any other runbook parameter, and the default engine repository is under this test's own XDG_DATA_HOME.
    /// </summary>
    private Outcome InCleanEnvironment(string workingDirectory, string program, params string[] arguments)
    {
        var variables = PassedThrough
            .Where(name => Environment.GetEnvironmentVariable(name) is not null)
            .Select(name => $"{name}={Environment.GetEnvironmentVariable(name)}")
            .Concat(Shell.GitIdentity.Select(pair => $"{pair.Key}={pair.Value}"))
            .Append($"XDG_DATA_HOME={_data.Path}");
        return Shell.Run(workingDirectory, "env", ["-i", .. variables, program, .. arguments], timeout: CommandTimeout);
    }

    /// <summary>The block's commands as a shell reads them: one per line, a here-document with the line that starts it.</summary>
    private static List<string> ShellCommands(string block)
    {
        var commands = new List<string>();
        var lines = block.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var command = lines[i];
            if (command.Trim().Length == 0)
                continue;
            if (HereDocument().Match(command) is { Success: true } hereDocument)
            {
                var delimiter = hereDocument.Groups["delimiter"].Value;
                while (++i < lines.Length && lines[i] != delimiter)
                    command += "\n" + lines[i];
                Assert.True(i < lines.Length, $"the quick start's here-document '{delimiter}' is not closed");
                command += "\n" + delimiter;
            }
            commands.Add(command);
        }
        return commands;
    }

    [GeneratedRegex(@"<<-?\s*(?<quote>['""]?)(?<delimiter>\w+)\k<quote>")]
    private static partial Regex HereDocument();
}
