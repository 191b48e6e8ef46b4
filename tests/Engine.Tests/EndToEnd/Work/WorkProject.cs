using System.Diagnostics;
using System.Text.Json;
using TestSupport;

namespace Engine.Tests.EndToEnd.Work;

/// <summary>
/// A git repository with a [work] table, driven through the real launcher. Scripted command agents
/// stand in for AI agents. Disposing stops the processes the test recorded and whatever the project
/// started (through EngineProject).
/// </summary>
internal sealed class WorkProject : IDisposable
{
    private readonly List<Process> _started = [];
    private readonly List<string> _pidFiles = [];

    public EngineProject Engine { get; }
    public string Dir => Engine.Dir;

    public WorkProject(string work, double watchdogIntervalSeconds = 0.5)
    {
        Engine = new EngineProject("[work]\n" + work, watchdogIntervalSeconds);
        Git("init", "-q", "-b", "main");
        Commit("README.md", "A tiny project.\n");
    }

    public string Git(params string[] args) => Shell.Git(Dir, args);

    /// <summary>Writes a file and commits it on the checked-out branch.</summary>
    public void Commit(string relative, string content, bool executable = false)
    {
        var path = Engine.Write(relative, content);
        if (executable)
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        Git("add", relative);
        Git("commit", "-q", "-m", $"add {relative}");
    }

    /// <summary>An executable shell script in the project folder (untracked, like a role's tool).</summary>
    public string Script(string relative, string body) => Engine.Script(relative, body);

    /// <summary>Extra environment for every engine run of this project (a PATH with a fake agent CLI, say).</summary>
    public Dictionary<string, string> Environment { get; } = new(EngineBuild.Environment);

    public Outcome Run(params string[] args) => Shell.Run(Dir, EngineBuild.Launcher, args, Environment, TimeSpan.FromMinutes(2));

    public Outcome Succeeds(params string[] args)
    {
        var outcome = Run(args);
        Assert.True(outcome.ExitCode == 0, $"agents {string.Join(' ', args)}: {outcome}");
        return outcome;
    }

    public JsonElement Json(params string[] args)
    {
        var outcome = Run([.. args, "--json"]);
        Assert.True(outcome.Out.TrimStart().StartsWith('{') || outcome.Out.TrimStart().StartsWith('['), $"agents {string.Join(' ', args)} --json: {outcome}");
        return JsonDocument.Parse(outcome.Out).RootElement.Clone();
    }

    public string Add(string title, params string[] options) => Succeeds(["task", "add", title, .. options]).Out.Trim();

    public JsonElement Task(string id) => Json("task", "show", id);

    public string StateOf(string id) => Task(id).GetProperty("state").GetString()!;

    public JsonElement Work() => Json("status").GetProperty("work");

    public IReadOnlyList<string> Worktrees() =>
        Git("worktree", "list", "--porcelain").Split('\n').Where(l => l.StartsWith("worktree ")).Select(l => l["worktree ".Length..]).ToList();

    public IReadOnlyList<string> Branches(string pattern = "work/*") =>
        Git("branch", "--list", pattern, "--format=%(refname:short)").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Starts the engine in the background (a cycle that a test interrupts or races).</summary>
    public Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(EngineBuild.Launcher)
        {
            WorkingDirectory = Dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in args)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in Shell.GitIdentity.Concat(Environment))
            start.Environment[name] = value;
        var process = Process.Start(start)!;
        process.StandardInput.Close();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _started.Add(process);
        return process;
    }

    public string PidFile(string name)
    {
        var path = Path.Combine(Dir, name);
        _pidFiles.Add(path);
        return path;
    }

    /// <summary>Waits for a script to write its pid to <paramref name="name"/> in the project folder.</summary>
    public int WaitForPid(string name, TimeSpan timeout)
    {
        var path = PidFile(name);
        return EngineProject.WaitFor(() => File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), out var pid) ? pid : (int?)null,
            timeout, $"{name} to be written");
    }

    public void Dispose()
    {
        try
        {
            foreach (var process in _started)
            {
                if (!process.HasExited)
                    process.Kill(entireProcessTree: true);
                process.Dispose();
            }
            foreach (var file in _pidFiles.Where(File.Exists))
                if (int.TryParse(File.ReadAllText(file).Trim(), out var pid) && Processes.IsAlive(pid))
                    Processes.Kill(pid);
        }
        finally
        {
            Engine.Dispose();
        }
    }
}

/// <summary>Lines a scripted agent prints: claude's result line, with a price and tokens.</summary>
internal static class ResultLine
{
    public static string Echo(double usd = 0.1, int input = 100, int output = 20, string result = "done") =>
        $"echo '{{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"{result}\",\"total_cost_usd\":{usd.ToString(System.Globalization.CultureInfo.InvariantCulture)},\"usage\":{{\"input_tokens\":{input},\"output_tokens\":{output},\"cache_read_input_tokens\":0,\"cache_creation_input_tokens\":0}}}}'";
}
