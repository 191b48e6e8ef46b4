using System.Text;
using Engine.Agents.Config;
using Engine.Agents.Work.Backends;
using Engine.Agents.Work.Model;
using Engine.Agents.Work.Running;

namespace Engine.Agents.Work.Cycle;

/// <summary>One command of the gate, as it ran.</summary>
internal sealed record GateCheck(string Name, IReadOnlyList<string> Argv, int? ExitCode, bool TimedOut, bool Stopped, TimeSpan Duration, string Output)
{
    public bool Passed => ExitCode == 0 && !TimedOut && !Stopped;

    public string Describe() =>
        TimedOut ? $"{Name} timed out (gate_timeout)"
        : Stopped ? $"{Name} was stopped"
        : Passed ? $"{Name} passed in {Duration.TotalSeconds:0.0}s"
        : $"{Name} failed (exit code {ExitCode?.ToString() ?? "unknown"}){RoleOutput.Detail(LastLines(Output, 1))}";

    private static string LastLines(string text, int count) =>
        string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(count));
}

internal sealed record GateResult(IReadOnlyList<GateCheck> Checks)
{
    private const int LongestOutput = 64 * 1024;

    /// <summary>A project with no gate passes it.</summary>
    public bool Passed => Checks.All(c => c.Passed);

    public IReadOnlyList<string> Reasons => Checks.Select(c => c.Describe()).ToList();

    public string? Output
    {
        get
        {
            if (Checks.Count == 0)
                return null;
            var text = string.Concat(Checks.Select(c => $"$ {Gate.Shown(c.Argv)}\n{c.Output}"));
            return text.Length > LongestOutput ? "...\n" + text[^LongestOutput..] : text;
        }
    }
}

/// <summary>Test, then lint, in a worktree: each an argument array with gate_timeout; it stops at the first failure.</summary>
internal static class Gate
{
    public static GateResult Run(CycleContext context, string directory, WorkTask task, string label, CancellationToken stop)
    {
        var checks = new List<GateCheck>();
        foreach (var (name, argv) in context.Work.Gate())
        {
            var marker = Guid.NewGuid().ToString("N");
            // A program with a '/' is the project's own, as checked out in this worktree.
            var program = argv[0].Contains('/') ? Path.GetFullPath(argv[0], directory) : argv[0];
            var environment = new Dictionary<string, string>(context.Markers)
            {
                ["AGENTS_ROLE"] = "gate",
                ["AGENTS_TASK_ID"] = task.Id,
                ["AGENTS_PROJECT_DIR"] = context.Project.ProjectDir,
            };
            var launch = new ProcessLaunch([program, .. argv.Skip(1)], directory, environment);
            var run = SupervisedProcess.Run(launch, marker, context.Work.GateTimeout, stop, onEvent: () => context.Runs.Touch(),
                log: context.Layout.Log($"{task.Id}-{label}-{name}-{task.Attempts}.log"));
            var output = new StringBuilder(run.Stdout);
            if (run.Stderr.Length > 0)
                output.Append(run.Stderr);
            var check = new GateCheck(name, argv, run.ExitCode, run.TimedOut, run.Stopped, run.Duration, output.ToString());
            checks.Add(check);
            if (!check.Passed)
                break;
        }
        return new GateResult(checks);
    }

    /// <summary>How the gate reads in a worker's prompt.</summary>
    public static IReadOnlyList<string> Describe(Work.Config.WorkConfig work) =>
        work.Gate().Select(g => $"{g.Name}: {Shown(g.Argv)}").ToList();

    /// <summary>An argv as a person would type it (words quoted where a shell would need it); for reading only, never run.</summary>
    public static string Shown(IReadOnlyList<string> argv) =>
        string.Join(' ', argv.Select(word => word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "_-./=:,+@%".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''") + "'"));
}
