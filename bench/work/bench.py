#!/usr/bin/env python3
"""The work cycle's own overhead per task: worktree, commit, bookkeeping, merge, with a no-op agent and no gate.

Usage: python3 bench/work/bench.py [RUNS] [TASKS]     (from anywhere; prints Markdown tables)

For each sample it makes a fresh git repository in a temporary folder with a [work] table whose worker is
a command agent that writes one file named after its task and exits (the least a task can change: the
cycle still commits it, rebases it and moves main), queues the tasks with `engine/agents task add`
(not timed), then times one whole `engine/agents cycle --no-plan` from the shell:

  - 0 tasks: the fixed cost of a cycle (the launcher, .NET start-up, lock, database, git checks);
  - 1 task, 1 worker;
  - TASKS tasks, 1 worker: the overhead per task is (that - 0 tasks) / TASKS;
  - TASKS tasks, 4 workers: compared with the ideal TASKS/4 times the 1-task cycle.

Cases run round-robin, their order rotating, so every case sees the same load. The engine is built first
(by its launcher, into the usual cache) and never during a sample. Nothing is left behind: each sample's
folder is removed, and no process outlives its cycle.
"""
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
AGENTS = os.path.join(ROOT, "engine", "agents")
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
TASKS = int(sys.argv[2]) if len(sys.argv) > 2 else 20
WORKER = 'cat > /dev/null; echo "$AGENTS_TASK_ID" > "$AGENTS_TASK_ID.txt"'
ENV = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.invalid",
           GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.invalid", GIT_CONFIG_NOSYSTEM="1")


def run(command, cwd, check=True):
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=ENV, timeout=600)
    if check and done.returncode != 0:
        raise RuntimeError(f"exit code {done.returncode}: {' '.join(command)}\n{done.stdout}")
    return done.stdout


def project(folder, tasks):
    run(["git", "init", "-q", "-b", "main"], folder)
    with open(os.path.join(folder, "README.md"), "w") as readme:
        readme.write("A benchmark project.\n")
    run(["git", "add", "README.md"], folder)
    run(["git", "commit", "-q", "-m", "initial"], folder)
    with open(os.path.join(folder, "agents.toml"), "w") as config:
        # A TOML literal string ('...') keeps the command's double quotes as they are.
        config.write(f'session_prefix = "bench-work-"\n\n[work]\nbackend = "command"\nworker_command = ["sh", "-c", \'{WORKER}\']\n')
    for number in range(tasks):
        run([AGENTS, "task", "add", f"Task {number + 1}"], folder)


def sample(tasks, workers):
    folder = tempfile.mkdtemp(prefix="bench-work-")
    try:
        project(folder, tasks)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        output = run([AGENTS, "cycle", "--no-plan", "--max-workers", str(workers)], folder)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        merged = output.count(": merged; main is at")
        if merged != tasks:
            raise RuntimeError(f"{merged} of {tasks} tasks merged:\n{output}")
        # CPU: the cycle's and every process it waited for (git, the agents), user + system.
        return elapsed, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def agent_alone():
    """The no-op agent itself, started the way a cycle starts it (sh -c), for comparison."""
    folder = tempfile.mkdtemp(prefix="bench-work-agent-")
    try:
        times = []
        for number in range(20):
            env = dict(ENV, AGENTS_TASK_ID=f"t{number}")
            start = time.perf_counter()
            subprocess.run(["sh", "-c", WORKER], cwd=folder, env=env, input="prompt", text=True, check=True)
            times.append(time.perf_counter() - start)
        return statistics.median(times)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main():
    run([AGENTS, "--version"], ROOT)  # builds the engine once, outside every sample
    cases = [(0, 1), (1, 1), (TASKS, 1), (TASKS, 4)]
    times = {case: [] for case in cases}
    cpus = {case: [] for case in cases}
    for round_ in range(RUNS):
        for case in cases[round_ % len(cases):] + cases[:round_ % len(cases)]:
            wall, cpu = sample(*case)
            times[case].append(wall)
            cpus[case].append(cpu)
            print(f"round {round_ + 1}: {case[0]} tasks, {case[1]} workers: {wall:.2f} s, CPU {cpu:.2f} s", file=sys.stderr)
    median = {case: statistics.median(values) for case, values in times.items()}
    cpu = {case: statistics.median(values) for case, values in cpus.items()}
    fixed, one, serial, parallel = (median[c] for c in cases)
    per_task = (serial - fixed) / TASKS
    per_task_cpu = (cpu[cases[2]] - cpu[cases[0]]) / TASKS
    ideal = TASKS / 4 * one
    strict = fixed + TASKS / 4 * (one - fixed)

    print(f"| cycle (`engine/agents cycle --no-plan`) | wall, median of {RUNS} | CPU (the cycle, git, the agents) |")
    print("|---|---:|---:|")
    print(f"| 0 tasks (the fixed cost of a cycle) | {fixed * 1000:.0f} ms | {cpu[cases[0]] * 1000:.0f} ms |")
    print(f"| 1 task, 1 worker | {one * 1000:.0f} ms | {cpu[cases[1]] * 1000:.0f} ms |")
    print(f"| {TASKS} tasks, 1 worker | {serial * 1000:.0f} ms | {cpu[cases[2]] * 1000:.0f} ms |")
    print(f"| {TASKS} tasks, 4 workers | {parallel * 1000:.0f} ms | {cpu[cases[3]] * 1000:.0f} ms |")
    print()
    print(f"- Overhead per task, ({TASKS} tasks on 1 worker - 0 tasks) / {TASKS}: **{per_task * 1000:.0f} ms** wall, "
          f"{per_task_cpu * 1000:.0f} ms CPU (goal: under 150 ms)")
    print(f"- {TASKS} tasks on 4 workers against the ideal {TASKS}/4 x the 1-task cycle ({ideal * 1000:.0f} ms): "
          f"**{parallel / ideal:.2f}x** (goal: at most 1.5x)")
    print(f"- The same against a stricter ideal that counts the fixed cost once, 0 tasks + {TASKS}/4 x (1 task - 0 tasks) "
          f"({strict * 1000:.0f} ms): {parallel / strict:.2f}x")
    print(f"- The no-op agent alone (`sh -c`, one file written): {agent_alone() * 1000:.1f} ms a run")
    print(f"- Load: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f} (1, 5, 15 min) on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
