#!/usr/bin/env python3
"""Start-up of the runbook and the engine, interleaved in one run (each round runs every case once, in a rotating order).

Usage: python3 bench/runbook/bench.py [ROUNDS]     (default 11; from anywhere; prints Markdown with every raw figure)

Cases: warm `./build.sh --help` and `./build.sh ListFleet` on a generated 1,000-project fleet (the native runbook),
the Python tomllib script that prints the same list (bench/runbook/list_fleet.py, the baseline), the NUKE-style
bootstrap (`dotnet build` + `dotnet run --no-build`) of the same ListFleet, and `engine/agents status --json` in a
project of three agents: the native engine against the JIT build of the same engine, both through the launcher.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROJECT = os.path.join(ROOT, "build", "_build.csproj")
RUNBOOK_BUILDS = os.path.join(ROOT, ".nuke", "temp", "runbook")
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 11


def run(command, env=None, cwd=ROOT):
    return subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=True)


def timed(commands, env=None, cwd=ROOT):
    start = time.perf_counter()
    for command in commands:
        subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def write_fleet(path, count):
    with open(path, "w") as file:
        file.write('[defaults]\nengine_url = "https://git.example.com/engine.git"\nref = "v0.1.0"\n')
        for i in range(count):
            file.write(f'\n# project {i}\n[[project]]\nname = "p{i:04d}"\nlocation = "projects/p{i:04d}"\ntags = ["team{i % 7}", "web"]\n')
            if i % 5 == 0:
                file.write("enabled = false\n")
            if i % 9 == 0:
                file.write('ref = "v0.2.0"\n')


def without_c_compiler(folder):
    """A PATH of links to every program on PATH but the C compilers: the launcher then builds the JIT engine."""
    for directory in os.environ["PATH"].split(":"):
        if not os.path.isdir(directory):
            continue
        for name in os.listdir(directory):
            link = os.path.join(folder, name)
            if name.split("-")[0] in ("gcc", "clang", "cc") or os.path.lexists(link):
                continue
            os.symlink(os.path.join(directory, name), link)
    return folder


def native_runbook():
    """Warm ./build.sh and wait for its background publish, until a run builds nothing: the runbook cases measure
    the native binary. (The NUKE-style bootstrap builds into build/obj and build/bin: made first, they change build/.)"""
    lock = os.path.join(RUNBOOK_BUILDS, "native.lock")
    native = os.path.join(RUNBOOK_BUILDS, "native", "_build")
    for _ in range(3):
        if run([os.path.join(ROOT, "build.sh"), "--help"]).stderr == "" and os.path.exists(native):
            return
        if os.path.exists(lock):
            run(["flock", lock, "true"])
    sys.exit(f"./build.sh keeps building; is {native} published? see {os.path.join(RUNBOOK_BUILDS, 'native.log')}")


def load():
    with open("/proc/loadavg") as file:
        return " ".join(file.read().split()[:3])


def main():
    with tempfile.TemporaryDirectory() as folder:
        fleet = os.path.join(folder, "fleet.toml")
        write_fleet(fleet, 1000)
        project = os.path.join(folder, "project")
        os.makedirs(project)
        with open(os.path.join(project, "agents.toml"), "w") as file:
            file.write(f'session_prefix = "bench{os.getpid()}-"\n')
            for name in ("one", "two", "three"):
                file.write(f'\n[[agent]]\nname = "{name}"\nbackend = "command"\ncommand = ["sleep", "600"]\n')
        jit_env = dict(os.environ, XDG_CACHE_HOME=os.path.join(folder, "cache"),
                       PATH=without_c_compiler(tempfile.mkdtemp(dir=folder)))
        agents = os.path.join(ROOT, "engine", "agents")

        list_fleet = ["ListFleet", "--fleet", fleet, "--no-logo"]
        nuke_style = [
            ["dotnet", "build", PROJECT, "/nodeReuse:false", "/p:UseSharedCompilation=false", "-nologo", "-clp:NoSummary", "--verbosity", "quiet"],
            ["dotnet", "run", "--project", PROJECT, "--no-build", "--", *list_fleet],
        ]
        timed(nuke_style)
        native_runbook()
        ours = run([os.path.join(ROOT, "build.sh"), *list_fleet]).stdout
        baseline = run([sys.executable, os.path.join(ROOT, "bench", "runbook", "list_fleet.py"), fleet]).stdout
        if ours != baseline:
            sys.exit("the Python script does not print what ListFleet prints; fix bench/runbook/list_fleet.py")
        run([agents, "status", "--json"], cwd=project)  # builds the native engine once per version
        run([agents, "status", "--json"], env=jit_env, cwd=project)  # and the JIT one, in a cache of its own

        cases = {
            "`./build.sh --help` (native)": ([[os.path.join(ROOT, "build.sh"), "--help"]], None, ROOT),
            "`./build.sh ListFleet`, 1,000 projects (native)": ([[os.path.join(ROOT, "build.sh"), *list_fleet]], None, ROOT),
            "Python tomllib script, same list (baseline)": ([[sys.executable, os.path.join(ROOT, "bench", "runbook", "list_fleet.py"), fleet]], None, ROOT),
            "NUKE-style bootstrap: `dotnet build` + `dotnet run` of ListFleet": (nuke_style, None, ROOT),
            "`engine/agents status --json` (native)": ([[agents, "status", "--json"]], None, project),
            "`engine/agents status --json` (JIT)": ([[agents, "status", "--json"]], jit_env, project),
        }
        for commands, env, cwd in cases.values():  # warm-up
            timed(commands, env, cwd)

        load_before = load()
        samples = {label: [] for label in cases}
        labels = list(cases)
        for round_number in range(ROUNDS):
            shift = round_number % len(labels)
            for label in labels[shift:] + labels[:shift]:
                samples[label].append(timed(*cases[label]))
        load_after = load()

        medians = {label: statistics.median(values) for label, values in samples.items()}
        python = medians["Python tomllib script, same list (baseline)"]
        native_engine = medians["`engine/agents status --json` (native)"]
        print(f"| case | median of {ROUNDS} | vs Python script | raw figures (ms, in run order) |")
        print("|---|---:|---:|---|")
        for label in labels:
            raw = " ".join(f"{value * 1000:.0f}" for value in samples[label])
            print(f"| {label} | {medians[label] * 1000:.0f} ms | {medians[label] / python:.2f}x | {raw} |")
        print()
        print(f"Engine: JIT / native = {medians['`engine/agents status --json` (JIT)'] / native_engine:.1f}x.")
        print(f"Load average (1, 5, 15 min) before: {load_before}; after: {load_after}; {os.cpu_count()} cores.")


if __name__ == "__main__":
    main()
