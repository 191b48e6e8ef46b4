#!/usr/bin/env python3
"""ValidateFleet over real project repositories with engine submodules: --parallel 1 against the default (4), same run.

Usage: python3 bench/fleet/validate.py [RUNS] [PROJECTS]     (from anywhere; prints a Markdown table)
Builds, in a temporary folder: a bare engine repository tagged v0.1.0 (a few files, a stand-in harness that
answers `status --json`), PROJECTS project
repositories (engine/ added with git submodule add and checked out at v0.1.0, an agents.toml, one
commit) and a fleet.toml registering them. Every run must exit 0 (a clean fleet), so the real checks
are what is measured. The two settings alternate run by run so both see the same load.
"""
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
PROJECTS = int(sys.argv[2]) if len(sys.argv) > 2 else 100


def git(cwd, *arguments):
    subprocess.run(["git", "-c", "protocol.file.allow=always", *arguments], cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# What ValidateFleet asks a harness: `status --json` with one --config per project of an engine version, one report
# each (an array for several). This stand-in answers at once, so the figures are the runbook's own work.
STAND_IN_HARNESS = r"""#!/usr/bin/env bash
[ "$1" = status ] || { echo 'a stand-in harness'; exit 0; }
configs=$(printf '%s\n' "$@" | grep -c -- '^--config$')
report='{"agents": [], "watchdog": {"state": "stopped"}}'
if [ "$configs" -gt 1 ]; then
  printf '['; for ((i = 1; i < configs; i++)); do printf '%s, ' "$report"; done; echo "$report]"
else
  echo "$report"
fi
"""


def make_engine(folder):
    work, bare = os.path.join(folder, "engine-work"), os.path.join(folder, "engine.git")
    os.makedirs(work)
    git(work, "init", "-q", "-b", "main")
    files = {"agents": STAND_IN_HARNESS, "VERSION": "0.1.0\n", "README.md": "# engine\n"}
    for name, text in files.items():
        with open(os.path.join(work, name), "w") as file:
            file.write(text)
    os.chmod(os.path.join(work, "agents"), 0o755)
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "engine 0.1.0")
    git(work, "tag", "-a", "v0.1.0", "-m", "v0.1.0")
    git(folder, "clone", "-q", "--bare", work, bare)
    return bare


def make_project(directory, engine):
    os.makedirs(directory)
    git(directory, "init", "-q", "-b", "main")
    git(directory, "submodule", "add", "-q", engine, "engine")
    git(os.path.join(directory, "engine"), "checkout", "-q", "v0.1.0")
    name = os.path.basename(directory)
    with open(os.path.join(directory, "agents.toml"), "w") as file:
        file.write(f'session_prefix = "{name}-"\n\n[[agent]]\nname = "main"\nbackend = "command"\ncommand = ["sleep", "3600"]\n')
    git(directory, "add", "-A")
    git(directory, "commit", "-q", "-m", "initial")


def write_fleet(path, engine, names):
    lines = ["[defaults]", f'engine_url = "{engine}"', 'ref = "v0.1.0"', ""]
    for name in names:
        lines += ["[[project]]", f'name = "{name}"', f'location = "projects/{name}"', ""]
    with open(path, "w") as file:
        file.write("\n".join(lines))


def timed(command, env=None, cwd=ROOT):
    """(wall, CPU) of a whole command, which must exit 0; CPU is user + system time of it and of every process it
    waited for (the git commands). A sample during which the runbook was rebuilt (another engineer edited its
    sources) is not a warm run: it is taken again."""
    while True:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            sys.exit(f"exit code {done.returncode} (expected 0, a clean fleet): {' '.join(command)}\n{done.stdout}")
        if "build.sh: building the runbook" not in done.stdout:
            return elapsed, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def round_robin(labels, sample, runs):
    """(wall, CPU) samples of each label, `runs` rounds, the order rotating each round so all see the same load."""
    times = {label: [] for label in labels}
    for run in range(runs):
        for label in labels[run % len(labels):] + labels[:run % len(labels)]:
            times[label].append(sample(label))
    return times


def print_table(title, times, runs):
    """A Markdown table of each label's wall time (median, min, max) and median CPU; returns the wall medians."""
    medians = {label: statistics.median(wall for wall, _ in values) for label, values in times.items()}
    print(f"| {title} | median of {runs} (wall) | min | max | CPU, median |")
    print("|---|---:|---:|---:|---:|")
    for label, values in times.items():
        walls = [wall for wall, _ in values]
        print(f"| {label} | {medians[label] * 1000:.0f} ms | {min(walls) * 1000:.0f} ms | {max(walls) * 1000:.0f} ms "
              f"| {statistics.median(used for _, used in values) * 1000:.0f} ms |")
    print()
    return medians


def main():
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(folder)
        names = [f"p{i:03d}" for i in range(PROJECTS)]
        setup = time.perf_counter()
        for name in names:
            make_project(os.path.join(folder, "projects", name), engine)
        setup = time.perf_counter() - setup
        fleet = os.path.join(folder, "fleet.toml")
        write_fleet(fleet, engine, names)
        base = [os.path.join(ROOT, "build.sh"), "ValidateFleet", "--fleet", fleet, "--no-logo"]
        empty = os.path.join(folder, "empty.toml")
        open(empty, "w").close()
        cases = {
            "`--parallel 1`": base + ["--parallel", "1"],
            "default (`--parallel 4`)": base,
            "start-up floor: `ValidateFleet` on an empty fleet": base[:3] + [empty, "--no-logo"],
        }
        for command in cases.values():
            timed(command)  # warm-up (and the proof that the fleet is clean: exit 0)
        labels = list(cases)
        times = round_robin(labels, lambda label: timed(cases[label]), RUNS)
        medians = print_table(f"ValidateFleet, {PROJECTS} projects (exit 0)", times, RUNS)
        floor = medians[labels[2]]
        print(f"Speed-up of the default over `--parallel 1`: **{medians[labels[0]] / medians[labels[1]]:.2f}x**; "
              f"above the start-up floor (the checks themselves): "
              f"{(medians[labels[0]] - floor) / (medians[labels[1]] - floor):.2f}x, on {os.cpu_count()} cores "
              f"(load average {os.getloadavg()[0]:.1f}; setting up the {PROJECTS} repositories took {setup:.0f} s)")


if __name__ == "__main__":
    main()
