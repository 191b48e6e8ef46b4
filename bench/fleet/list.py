#!/usr/bin/env python3
"""ListFleet on a generated 1,000-project fleet.toml against a tomllib script doing the same, same run.

Usage: python3 bench/fleet/list.py [RUNS] [PROJECTS]     (from anywhere; prints a Markdown table)
Whole commands are timed (process start included), after one warm-up each, round-robin with a rotating
order so every case sees the same load. The same two on an empty fleet give each one's start-up floor.
The two must print the same bytes. Generated data lives in a temporary folder.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 15
PROJECTS = int(sys.argv[2]) if len(sys.argv) > 2 else 1000


def write_fleet(path, count):
    lines = [
        "# A generated fleet for bench/fleet/list.py.",
        "version = 1",
        "",
        "[defaults]",
        'engine_url = "https://git.example.com/team/engine.git"',
        'ref = "v0.1.0"',
        "",
    ]
    for i in range(count):
        lines += [
            f"# p{i:04d}: owned by team {i % 13}, on call rota {i % 5}",
            "[[project]]",
            f'name = "p{i:04d}"',
            f'location = "projects/p{i:04d}"',
            f'tags = ["team{i % 13}", "{"backend" if i % 2 else "web"}"]',
            "",
        ]
    with open(path, "w") as file:
        file.write("\n".join(lines))


def timed(command):
    """Wall time and stdout of a whole command. A sample during which the runbook was rebuilt (another engineer
    edited its sources) is not a warm run: it is taken again."""
    while True:
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            sys.exit(f"failed with exit code {done.returncode}: {' '.join(command)}\n{done.stderr.decode()}")
        if b"build.sh: building the runbook" not in done.stderr:
            return elapsed, done.stdout


def main():
    with tempfile.TemporaryDirectory() as folder:
        fleet = os.path.join(folder, "fleet.toml")
        empty = os.path.join(folder, "empty.toml")
        write_fleet(fleet, PROJECTS)
        open(empty, "w").close()
        ours = [os.path.join(ROOT, "build.sh"), "ListFleet", "--fleet", fleet, "--no-logo"]
        theirs = [sys.executable, os.path.join(HERE, "tomllib_list.py"), fleet]
        _, ours_out = timed(ours)  # warm-up (builds the runbook when its sources changed)
        _, theirs_out = timed(theirs)
        if ours_out != theirs_out:
            sys.exit("ListFleet and the tomllib script print different things")
        if ours_out.count(b"\n") != PROJECTS + 1:
            sys.exit(f"expected {PROJECTS} projects listed")
        cases = {
            f"`./build.sh ListFleet` ({PROJECTS} projects)": ours,
            f"`python3 tomllib_list.py` ({PROJECTS} projects; Python {sys.version.split()[0]})": theirs,
            "`./build.sh ListFleet` on an empty fleet (start-up floor)": ours[:3] + [empty, "--no-logo"],
            "`python3 tomllib_list.py` on an empty fleet (start-up floor)": theirs[:2] + [empty],
        }
        times = {label: [] for label in cases}
        for label, command in cases.items():
            timed(command)  # warm-up
        labels = list(cases)
        for run in range(RUNS):  # round-robin, rotated, so every case sees the same load
            for label in labels[run % len(labels):] + labels[:run % len(labels)]:
                times[label].append(timed(cases[label])[0])
        medians = {label: statistics.median(values) for label, values in times.items()}
        print(f"| command (fleet.toml of {os.path.getsize(fleet) / 1000:.0f} kB) | median of {RUNS} | min | max |")
        print("|---|---:|---:|---:|")
        for label, values in times.items():
            print(f"| {label} | {medians[label] * 1000:.0f} ms | {min(values) * 1000:.0f} ms | {max(values) * 1000:.0f} ms |")
        ours_median, theirs_median = medians[labels[0]], medians[labels[1]]
        print()
        print(f"Ratio ListFleet / Python: **{ours_median / theirs_median:.2f}x** (goal: at most 1x); "
              f"the {PROJECTS} projects cost ListFleet {(ours_median - medians[labels[2]]) * 1000:.0f} ms "
              f"and Python {(theirs_median - medians[labels[3]]) * 1000:.0f} ms above their floors "
              f"(load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
