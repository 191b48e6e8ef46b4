#!/usr/bin/env python3
"""Warm start of ./build.sh against the NUKE-style bootstrap (dotnet build + dotnet run --no-build), same run.

Usage: python3 bench/runbook/bench.py [RUNS]     (from anywhere; prints a Markdown table)
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROJECT = os.path.join(ROOT, "build", "_build.csproj")
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 15


def timed(command):
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def nuke_style(arguments):
    # What NUKE's generated build.sh does on every run.
    return [
        ["dotnet", "build", PROJECT, "/nodeReuse:false", "/p:UseSharedCompilation=false", "-nologo", "-clp:NoSummary", "--verbosity", "quiet"],
        ["dotnet", "run", "--project", PROJECT, "--no-build", "--", *arguments],
    ]


def median_of(commands):
    for command in commands:  # warm-up: the first run may build
        timed(command)
    return statistics.median(sum(timed(c) for c in commands) for _ in range(RUNS))


def main():
    with tempfile.TemporaryDirectory() as folder:
        empty_fleet = os.path.join(folder, "fleet.toml")
        open(empty_fleet, "w").close()
        cases = {
            "`--help`": ["--help"],
            "`ListFleet` on an empty fleet (a target with nothing to do)": ["ListFleet", "--fleet", empty_fleet, "--no-logo"],
        }
        print(f"| command | ./build.sh (warm, median of {RUNS}) | NUKE-style bootstrap (median of {RUNS}) | ratio |")
        print("|---|---|---|---|")
        for label, arguments in cases.items():
            ours = median_of([[os.path.join(ROOT, "build.sh"), *arguments]])
            theirs = median_of(nuke_style(arguments))
            print(f"| {label} | {ours * 1000:.0f} ms | {theirs * 1000:.0f} ms | {theirs / ours:.1f}x |")


if __name__ == "__main__":
    main()
