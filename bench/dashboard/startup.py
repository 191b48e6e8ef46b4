#!/usr/bin/env python3
"""What ASP.NET Core in the native runbook costs the other targets: start-up of two native builds, interleaved.

Usage: python3 bench/dashboard/startup.py WITH WITHOUT [ROUNDS]
  WITH, WITHOUT: native runbook binaries (the _build file of `dotnet publish build/_build.csproj -c Release -o DIR`)
  of this checkout and of one without the dashboard (e.g. main); ROUNDS defaults to 21.

Each round runs `--help` and `ListFleet` on a generated 1,000-project fleet.toml with both binaries, in a rotating
order, from this checkout's root (where they find .nuke/). Prints Markdown: medians, the ratio, binary sizes, raw figures.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def write_fleet(path, count):
    with open(path, "w") as file:
        file.write('[defaults]\nengine_url = "https://git.example.com/engine.git"\nref = "v0.1.0"\n')
        for i in range(count):
            file.write(f'\n[[project]]\nname = "p{i:04d}"\nlocation = "projects/p{i:04d}"\ntags = ["team{i % 7}"]\n')


def timed(command):
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - start) * 1000


def main():
    with_server, without_server = (os.path.abspath(p) for p in sys.argv[1:3])
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 21
    with tempfile.TemporaryDirectory() as folder:
        fleet = os.path.join(folder, "fleet.toml")
        write_fleet(fleet, 1000)
        cases = {}
        for label, binary in (("with ASP.NET Core", with_server), ("without", without_server)):
            cases[f"`--help`, {label}"] = [binary, "--help"]
            cases[f"`ListFleet` (1,000 projects), {label}"] = [binary, "ListFleet", "--fleet", fleet, "--no-logo"]
        for command in cases.values():
            timed(command)  # page cache
        load_before = os.getloadavg()
        figures = {name: [] for name in cases}
        names = list(cases)
        for r in range(rounds):
            for name in names[r % len(names):] + names[:r % len(names)]:
                figures[name].append(timed(cases[name]))
        load_after = os.getloadavg()
    print(f"| case | median of {rounds} | raw figures (ms, in run order) |\n|---|---:|---|")
    for name, values in figures.items():
        print(f"| {name} | {statistics.median(values):.0f} ms | {' '.join(f'{v:.0f}' for v in values)} |")
    for case in ("`--help`", "`ListFleet` (1,000 projects)"):
        ratio = statistics.median(figures[f"{case}, with ASP.NET Core"]) / statistics.median(figures[f"{case}, without"])
        print(f"\n{case}: with / without = {ratio:.2f}x", end="")
    print(f"\n\nBinary size: with {os.path.getsize(with_server) / 1e6:.1f} MB, without {os.path.getsize(without_server) / 1e6:.1f} MB.")
    print(f"Load average (1, 5, 15 min) before: {' '.join(f'{x:.2f}' for x in load_before)}; after: {' '.join(f'{x:.2f}' for x in load_after)}; {os.cpu_count()} cores.")


main()
