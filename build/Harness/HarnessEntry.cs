using System.ComponentModel;
using Orchestrator.Output;
using Orchestrator.Processes;

namespace Orchestrator.Harness;

/// <summary>
/// How to run a project's harness: <c>engine/agents</c> (this repository's engine) or <c>python3 engine/agents.py</c>
/// (the Python agent-orchestrator), whichever the project vendors. The orchestrator drives a harness only through
/// its command line, in the project's folder.
/// </summary>
internal sealed record HarnessEntry(string Program, IReadOnlyList<string> LeadingArguments)
{
    /// <summary>Whether the project's engine/ holds an entry point (it may be a submodule not checked out yet).</summary>
    public static bool IsCheckedOut(AbsolutePath project) =>
        (project / "engine" / "agents").FileExists() || (project / "engine" / "agents.py").FileExists();

    public static HarnessEntry For(AbsolutePath project)
    {
        if ((project / "engine" / "agents").FileExists())
            return new HarnessEntry((project / "engine" / "agents"), []);
        if ((project / "engine" / "agents.py").FileExists())
            return new HarnessEntry("python3", ["engine/agents.py"]);
        throw new TargetFailedException(
            $"{project}/engine has no harness entry point (engine/agents or engine/agents.py); run: git -C {ShellWords.Quote(project)} submodule update --init engine", 2);
    }

    /// <summary>The Python agent-orchestrator: the verbs of the contract (init, up, down, status), and no attach.</summary>
    public bool IsPython => LeadingArguments is ["engine/agents.py"];

    /// <summary>The command as an operator would type it in the project's folder, for plans and messages.</summary>
    public string Display(params string[] arguments) =>
        ShellWords.Join(new[] { Program.EndsWith("/engine/agents") ? "engine/agents" : Program }.Concat(LeadingArguments).Concat(arguments));

    public CommandResult Run(AbsolutePath project, params string[] arguments) =>
        Start(() => Command.Run(Program, LeadingArguments.Concat(arguments), project), arguments);

    /// <summary>Like <see cref="Run"/>, with the harness's stderr shown as it comes: a first use says it builds the engine.</summary>
    public CommandResult RunShowingProgress(AbsolutePath project, params string[] arguments) =>
        Start(() => Command.Run(Program, LeadingArguments.Concat(arguments), project, showErrors: Console.Error), arguments);

    public Task<CommandResult> RunAsync(AbsolutePath project, params string[] arguments) =>
        Start(() => Command.RunAsync(Program, LeadingArguments.Concat(arguments), project), arguments);

    /// <summary>Like <see cref="RunAsync(AbsolutePath, string[])"/>, its stderr shown on <paramref name="showErrors"/> as it comes; cancelling stops it.</summary>
    public Task<CommandResult> RunAsync(AbsolutePath project, IReadOnlyList<string> arguments, TextWriter? showErrors, CancellationToken cancel) =>
        Start(() => Command.RunAsync(Program, LeadingArguments.Concat(arguments), project, showErrors: showErrors, cancel: cancel), [.. arguments]);

    /// <summary>Runs the harness on the operator's terminal, its output shown as it comes; returns its exit code.</summary>
    public int RunAttached(AbsolutePath project, string[] arguments, CancellationToken cancel = default) =>
        Start(() => Command.RunAttached(Program, LeadingArguments.Concat(arguments), project, cancel), arguments);

    private T Start<T>(Func<T> run, string[] arguments)
    {
        try
        {
            return run();
        }
        catch (Win32Exception e)
        {
            throw new TargetFailedException($"could not start the harness ({Display(arguments)}): {e.Message}", 2);
        }
    }
}
