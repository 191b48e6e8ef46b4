using System.Diagnostics;
using System.Text.Json;
using TestSupport;

namespace EndToEnd.Tests;

/// <summary>Exec: one command in each project's folder, as an argument array, output grouped by project.</summary>
[Collection(FreshCloneCollection.Name)]
public sealed class ExecTests : IDisposable
{
    private const string Fleet = """
        [defaults]
        engine_url = "./engine.git"
        ref = "v0.1.0"

        [[project]]
        name = "api"
        location = "api"
        tags = ["backend"]

        [[project]]
        name = "worker"
        location = "worker"
        tags = ["backend"]

        [[project]]
        name = "legacy"
        location = "legacy"
        enabled = false
        tags = ["backend"]

        [[project]]
        name = "away"
        location = "away"
        remote = "git@example.invalid:team/away.git"
        """;

    private readonly FreshClone _clone;
    private readonly FleetWorkspace _fleet;

    public ExecTests(FreshClone clone)
    {
        _clone = clone;
        _fleet = new FleetWorkspace(clone, Fleet);
        foreach (var project in new[] { "api", "worker", "legacy" })
            ProjectRepository.Create(_fleet[project], _fleet.Engine, "v0.1.0");
    }

    public void Dispose() => _fleet.Dispose();

    [Fact]
    public void Output_is_grouped_in_registry_order_while_projects_run_in_parallel()
    {
        // api waits until worker has run: with one at a time it would wait forever (the script gives up after a minute),
        // so both run at once, and worker finishes first; its output still comes second.
        var script = """
            if [ "${PWD##*/}" = api ]; then
              for i in $(seq 1200); do [ -e ../worker-ran ] && break; sleep 0.05; done
              [ -e ../worker-ran ] || { echo "worker never ran" >&2; exit 3; }
            else
              touch ../worker-ran
            fi
            echo "out of ${PWD##*/}"; echo "err of ${PWD##*/}" >&2
            """;
        var outcome = _fleet.Run("Exec", "--tag", "backend", "--parallel", "2", "--", "bash", "-c", script);
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Equal("== api\nout of api\nerr of api\n== worker\nout of worker\nerr of worker\n", outcome.Out);
        Assert.Contains("skipping disabled legacy; --force includes them", outcome.Err);
    }

    [Fact]
    public void The_command_is_an_argument_array_and_no_shell_reads_it()
    {
        var literal = _fleet.Run("Exec", "--project", "api", "--", "printf", "%s|", "$HOME", "a b", "; touch pwned", "--json");
        Assert.True(literal.ExitCode == 0, literal.ToString());
        Assert.Equal("== api\n$HOME|a b|; touch pwned|--json|\n", literal.Out);
        Assert.False(File.Exists(_fleet["api/pwned"]));

        var shell = _fleet.Run("Exec", "--project", "api", "--", "bash", "-c", "echo $((6 * 7)) > answer; cat answer");
        Assert.Equal("== api\n42\n", shell.Out);

        var relative = _fleet.Write("worker/scripts/hello", "#!/bin/sh\necho hello from \"$(basename \"$PWD\")\"\n");
        File.SetUnixFileMode(relative, (UnixFileMode)0b111_101_101);
        var script = _fleet.Run("Exec", "--project", "api", "worker", "--", "./scripts/hello");
        Assert.Equal(1, script.ExitCode);
        Assert.Equal($"== api: not run: no executable ./scripts/hello in {_fleet["api"]}\n== worker\nhello from worker\n", script.Out);
    }

    [Fact]
    public void Failures_are_named_and_exit_1_and_json_keeps_stdout_stderr_and_exit_code_apart()
    {
        var failing = _fleet.Run("Exec", "--project", "*", "--", "git", "rev-parse", "--verify", "-q", "refs/heads/feature");
        Assert.Equal(1, failing.ExitCode);
        Assert.Contains("== api: exit 1\n== worker: exit 1\n== away: not run: no local clone at", failing.Out);
        Assert.Contains("clone it from git@example.invalid:team/away.git", failing.Out);
        Assert.Contains("Exec: 3 of 3 failed: api (exit 1), worker (exit 1), away (not run: no local clone at", failing.Err);

        Shell.Git(_fleet["worker"], "branch", "feature");
        var json = _fleet.Run("Exec", "--tag", "backend", "--force", "--json", "--", "bash", "-c", "git rev-parse --abbrev-ref HEAD; echo note >&2; git rev-parse --verify -q refs/heads/feature >/dev/null");
        Assert.Equal(1, json.ExitCode);
        using var document = JsonDocument.Parse(json.Out);
        var root = document.RootElement;
        Assert.Equal(["bash", "-c"], root.GetProperty("command").EnumerateArray().Take(2).Select(e => e.GetString()));
        var projects = root.GetProperty("projects").EnumerateArray().ToList();
        Assert.Equal(["api", "worker", "legacy"], projects.Select(p => p.GetProperty("name").GetString()));
        Assert.Equal([1, 0, 1], projects.Select(p => p.GetProperty("exit_code").GetInt32()));
        Assert.All(projects, p => Assert.Equal("main\n", p.GetProperty("stdout").GetString()));
        Assert.All(projects, p => Assert.Equal("note\n", p.GetProperty("stderr").GetString()));
        Assert.Equal(_fleet["worker"], projects[1].GetProperty("directory").GetString());
        Assert.Equal(["api", "legacy"], root.GetProperty("failed").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(root.GetProperty("skipped").EnumerateArray());
    }

    [Fact]
    public void Usage_mistakes_and_a_dry_run()
    {
        var noProjects = _fleet.Run("Exec", "--", "ls");
        Assert.Equal(2, noProjects.ExitCode);
        Assert.Contains("Exec: choose the projects: --project NAME...", noProjects.Err);

        var noCommand = _fleet.Run("Exec", "--project", "api");
        Assert.Equal(2, noCommand.ExitCode);
        Assert.Contains("Exec requires -- COMMAND...", noCommand.Err);

        var unknownProgram = _fleet.Run("Exec", "--project", "api", "--", "no-such-program-anywhere");
        Assert.Equal(1, unknownProgram.ExitCode);
        Assert.Contains("== api: not run: no program 'no-such-program-anywhere' on PATH", unknownProgram.Out);

        var plan = _fleet.Run("Exec", "--project", "api", "--dry-run", "--", "git", "commit", "-m", "a message");
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains($"api: would run git commit -m 'a message' in {_fleet["api"]}", plan.Out);
    }

    [Fact]
    public void Ctrl_c_stops_every_command_it_started()
    {
        var start = new ProcessStartInfo(Path.Combine(_clone.Root, "build.sh"))
        {
            WorkingDirectory = _fleet.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "Exec", "--tag", "backend", "--fleet", _fleet.FleetFile, "--no-logo", "--", "bash", "-c", "sleep 300 & echo $! > sleeper.pid; wait" })
            start.ArgumentList.Add(argument);
        using var build = Process.Start(start)!;
        var errors = build.StandardError.ReadToEndAsync();
        var sleepers = new[] { "api", "worker" }.Select(p => int.Parse(WaitFor(_fleet[$"{p}/sleeper.pid"]))).ToList();

        // As from a terminal's Ctrl-C, but to the runbook alone: it must pass the stop on.
        Shell.Run(_fleet.Path, "kill", ["-INT", build.Id.ToString()]);
        Assert.True(build.WaitForExit(TimeSpan.FromSeconds(60)), "the runbook did not stop after Ctrl-C");
        Assert.Equal(1, build.ExitCode);
        foreach (var pid in sleepers)
            Assert.True(Gone(pid), $"sleep {pid} outlived the aborted Exec");
        Assert.True(errors.Wait(TimeSpan.FromSeconds(30)), "the runbook's stderr never closed");
        Assert.Matches(@"Exec\s+Aborted", errors.Result);
    }

    private static string WaitFor(string file)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (File.Exists(file) && File.ReadAllText(file) is var text && text.EndsWith('\n'))
                return text.Trim();
            Thread.Sleep(50);
        }
        throw new TimeoutException($"{file} never appeared");
    }

    private static bool Gone(int pid)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (!File.Exists($"/proc/{pid}/stat") || File.ReadAllText($"/proc/{pid}/stat").Split(") ")[^1].StartsWith('Z'))
                return true;
            Thread.Sleep(50);
        }
        Shell.Run("/", "kill", ["-KILL", pid.ToString()]);
        return false;
    }
}
