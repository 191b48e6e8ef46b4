#!/usr/bin/env python3
"""CreateProject and UpdateEngine against the bare git commands they compose, same run.

Usage: python3 bench/lifecycle/bench.py [RUNS]     (from anywhere; prints Markdown tables)

CreateProject: the engine of this checkout is published (PublishEngine) to a temporary bare repository;
each run creates a new project with `./build.sh CreateProject` and one with create_by_hand.sh (mkdir, git
init, submodule add, fetch --tags, checkout, engine/agents init ., .gitignore, add, commit). Both pay
the harness's init; one warm-up of each first (the first use of an engine version builds it once).
UpdateEngine: a small bare engine repository tagged v0.1.0 (annotated) and v0.2.0 (lightweight) and two
projects made by hand at v0.1.0; each run moves one with `./build.sh UpdateEngine` and the other with
bump_by_hand.sh (fetch --tags, checkout, commit -- engine) to v0.2.0 and back, so a run gives two samples
of each. The order alternates run by run so both see the same load; before each sample an untimed
`./build.sh --help` rebuilds a runbook whose sources another engineer changed, and a sample that still
saw a rebuild is dropped. Then a profile pass (5 runs each) with a logging `git` first on PATH: the git
commands each side runs and their time, and CreateProject's time per step (from the step lines it
prints as it goes). Everything lives in a temporary folder.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BUILD = os.path.join(ROOT, "build.sh")
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 9


REBUILDS = ("build.sh: building the runbook", "agents: building the engine")


def run(command, cwd=ROOT, env=None):
    done = subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if done.returncode != 0:
        sys.exit(f"exit code {done.returncode}: {' '.join(command)}\n{done.stdout}")
    return done.stdout


def timed(command, cwd=ROOT):
    """Wall time of a whole command, or None when the runbook or the engine was rebuilt during it (another
    engineer edited their sources): not a warm run, so not counted. `./build.sh --help` first, untimed,
    rebuilds a stale runbook outside the measurement."""
    run([BUILD, "--help"])
    start = time.perf_counter()
    output = run(command, cwd)
    elapsed = time.perf_counter() - start
    if any(marker in output for marker in REBUILDS):
        print(f"(rebuilt during a sample, not counted: {' '.join(command)[:100]})", file=sys.stderr)
        return None
    return elapsed


PROFILE_RUNS = 5


def git_shim(folder):
    """A `git` first on PATH that logs each call's start, end (ns) and arguments, then the environment that uses it.
    Only git started through PATH is logged: what the runbook and the scripts run, not git's own sub-processes."""
    shim = os.path.join(folder, "shim")
    os.makedirs(shim, exist_ok=True)
    real = shutil.which("git")
    with open(os.path.join(shim, "git"), "w") as file:
        file.write(f'#!/usr/bin/env bash\nstart=$(date +%s%N)\n"{real}" "$@"\ncode=$?\n'
                   'echo "$start $(date +%s%N) $*" >> "$GIT_SHIM_LOG"\nexit $code\n')
    os.chmod(os.path.join(shim, "git"), 0o755)
    log = os.path.join(folder, "git-calls.log")
    env = dict(os.environ, PATH=shim + os.pathsep + os.environ["PATH"], GIT_SHIM_LOG=log)
    return env, log


def profiled(command, env, log):
    """Runs a command with the git shim: (launch, [(time, stdout line)], exit, [(start, end, arguments)]), times in ns."""
    open(log, "w").close()
    lines = []
    launch = time.time_ns()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in process.stdout:
        lines.append((time.time_ns(), line.rstrip("\n")))
    process.wait()
    end = time.time_ns()
    if process.returncode != 0:
        sys.exit(f"exit code {process.returncode}: {' '.join(command)}\n" + "\n".join(l for _, l in lines))
    with open(log) as file:
        calls = [(int(a), int(b), rest) for a, b, rest in (line.rstrip("\n").split(" ", 2) for line in file)]
    return launch, lines, end, calls


def git_in(calls, start, end):
    inside = [c for c in calls if start <= c[0] < end]
    return len(inside), sum(b - a for a, b, _ in inside)


def profile_table(title, phases):
    """phases: {label: [(ns, git calls, git ns) per run]}; prints medians."""
    print(f"| {title} (median of {PROFILE_RUNS}, git through a logging shim) | time | git calls | time in git |")
    print("|---|---:|---:|---:|")
    for label, samples in phases.items():
        ms = statistics.median(s[0] for s in samples) / 1e6
        calls = statistics.median(s[1] for s in samples)
        git_ms = statistics.median(s[2] for s in samples) / 1e6
        print(f"| {label} | {ms:.0f} ms | {calls:.0f} | {git_ms:.0f} ms |")
    print()


def git(cwd, *arguments):
    return run(["git", "-c", "protocol.file.allow=always", *arguments], cwd).strip()


def alternate(runs, cases):
    """Runs each case's next command once per run, in an order that rotates, and returns the times per case."""
    times = {label: [] for label in cases}
    labels = list(cases)
    for index in range(runs):
        for label in (labels if index % 2 == 0 else labels[::-1]):
            for command in cases[label](index):
                elapsed = timed(command)
                if elapsed is not None:
                    times[label].append(elapsed)
    return times


def table(title, times, ours, bare):
    medians = {label: statistics.median(values) for label, values in times.items()}
    print(f"| {title} | median | min | max | samples |")
    print("|---|---:|---:|---:|---:|")
    for label, values in times.items():
        print(f"| {label} | {medians[label] * 1000:.0f} ms | {min(values) * 1000:.0f} ms | {max(values) * 1000:.0f} ms | {len(values)} |")
    print()
    overhead = medians[ours] - medians[bare]
    print(f"Overhead (ours minus bare git): **{overhead * 1000:+.0f} ms** ({medians[ours] / medians[bare]:.2f}x; "
          f"goal: under 300 ms; load average {os.getloadavg()[0]:.1f})")
    print()


def create(folder):
    engine = os.path.join(folder, "engine.git")
    git(folder, "init", "-q", "--bare", engine)
    run([BUILD, "PublishEngine", "--engine-repo", engine, "--no-logo"])
    tag = git(engine, "tag", "--list", "v*")
    fleet = os.path.join(folder, "fleet.toml")
    open(fleet, "w").close()
    projects = os.path.join(folder, "projects")
    os.makedirs(projects)

    def ours(name):
        return [BUILD, "CreateProject", "--name", name, "--dir", projects, "--engine-url", engine, "--fleet", fleet, "--no-logo"]

    def bare(name):
        return [os.path.join(HERE, "create_by_hand.sh"), projects, name, engine, tag]

    run(ours("warm-ours"))  # the first use of this engine version on the machine builds it
    run(bare("warm-bare"))
    files = [git(os.path.join(projects, name), "ls-files") for name in ("warm-ours", "warm-bare")]
    if files[0] != files[1]:
        sys.exit(f"the two ways made different projects:\n{files[0]}\n---\n{files[1]}")
    cases = {
        f"`./build.sh CreateProject` (engine {tag})": lambda i: [ours(f"p{i}")],
        "`create_by_hand.sh` (the same git commands and `engine/agents init .`)": lambda i: [bare(f"h{i}")],
        "runbook start-up floor: `./build.sh ListFleet` on an empty fleet": lambda i: [[BUILD, "ListFleet", "--fleet", fleet, "--no-logo"]],
    }
    times = alternate(RUNS, cases)
    labels = list(cases)
    table("CreateProject, one new project", times, labels[0], labels[1])

    env, log = git_shim(folder)
    phases = {}
    for index in range(PROFILE_RUNS):
        launch, lines, end, calls = profiled(ours(f"q{index}"), env, log)
        steps = [(t, line.strip().split(":")[0]) for t, line in lines if line.startswith("  ")]
        done = next(t for t, line in lines if line.startswith("created "))
        marks = [(launch, "start-up, fleet load, preflight (to the first step)")] + steps + [(done, "exit (after the last line)")]
        for (start, label), (stop, _) in zip(marks, marks[1:] + [(end, None)]):
            phases.setdefault(label, []).append((stop - start, *git_in(calls, start, stop)))
        phases.setdefault("**whole command**", []).append((end - launch, len(calls), sum(b - a for a, b, _ in calls)))
        launch, _, end, calls = profiled(bare(f"g{index}"), env, log)
        phases.setdefault("**`create_by_hand.sh`, whole command**", []).append((end - launch, len(calls), sum(b - a for a, b, _ in calls)))
    profile_table("Where `./build.sh CreateProject` spends its time, by step", phases)


def update(folder):
    work, engine = os.path.join(folder, "engine-work"), os.path.join(folder, "engine.git")
    os.makedirs(work)
    git(work, "init", "-q", "-b", "main")
    for version in ("0.1.0", "0.2.0"):
        with open(os.path.join(work, "VERSION"), "w") as file:
            file.write(version + "\n")
        with open(os.path.join(work, "agents"), "w") as file:
            file.write(f"#!/usr/bin/env bash\necho 'a stand-in harness {version}'\n")
        git(work, "add", "-A")
        git(work, "commit", "-q", "-m", f"engine {version}")
    git(work, "tag", "-a", "v0.1.0", "-m", "v0.1.0", "HEAD~1")
    git(work, "tag", "v0.2.0")
    git(folder, "clone", "-q", "--bare", work, engine)
    for name in ("ours", "bare"):
        project = os.path.join(folder, "projects", name)
        os.makedirs(project)
        git(project, "init", "-q", "-b", "main")
        git(project, "submodule", "add", "-q", engine, "engine")
        git(os.path.join(project, "engine"), "checkout", "-q", "v0.1.0")
        with open(os.path.join(project, "agents.toml"), "w") as file:
            file.write(f'session_prefix = "{name}-"\n')
        git(project, "add", "-A")
        git(project, "commit", "-q", "-m", "initial")
    fleet = os.path.join(folder, "fleet.toml")
    with open(fleet, "w") as file:
        file.write(f'[defaults]\nengine_url = "{engine}"\n\n[[project]]\nname = "ours"\nlocation = "projects/ours"\nref = "v0.1.0"\n')

    def ours(ref):
        return [BUILD, "UpdateEngine", "--project", "ours", "--ref", ref, "--fleet", fleet, "--no-logo"]

    def bare(ref):
        return [os.path.join(HERE, "bump_by_hand.sh"), os.path.join(folder, "projects", "bare"), ref]

    for ref in ("v0.2.0", "v0.1.0"):  # warm-up, and the proof that both really move the pin
        run(ours(ref))
        run(bare(ref))
    for name in ("ours", "bare"):
        if int(git(os.path.join(folder, "projects", name), "rev-list", "--count", "HEAD")) != 3:
            sys.exit(f"{name}: expected two bump commits after the warm-up")
    cases = {
        "`./build.sh UpdateEngine --project ours --ref vX`": lambda i: [ours("v0.2.0"), ours("v0.1.0")],
        "`bump_by_hand.sh` (fetch --tags, checkout, commit -- engine)": lambda i: [bare("v0.2.0"), bare("v0.1.0")],
    }
    times = alternate(RUNS, cases)
    for name in ("ours", "bare"):
        if int(git(os.path.join(folder, "projects", name), "rev-list", "--count", "HEAD")) != 3 + 2 * RUNS:
            sys.exit(f"{name}: not every run made its bump commits")
    labels = list(cases)
    table("UpdateEngine, one project, v0.1.0 to v0.2.0 and back", times, labels[0], labels[1])

    env, log = git_shim(folder)
    phases = {}
    for index in range(PROFILE_RUNS):
        for label, command in (("`./build.sh UpdateEngine`", ours), ("`bump_by_hand.sh`", bare)):
            launch, lines, end, calls = profiled(command("v0.2.0" if index % 2 == 0 else "v0.1.0"), env, log)
            phases.setdefault(label, []).append((end - launch, len(calls), sum(b - a for a, b, _ in calls)))
    profile_table("UpdateEngine, whole commands", phases)


def main():
    with tempfile.TemporaryDirectory() as folder:
        os.makedirs(os.path.join(folder, "create"))
        os.makedirs(os.path.join(folder, "update"))
        create(os.path.join(folder, "create"))
        update(os.path.join(folder, "update"))


if __name__ == "__main__":
    main()
