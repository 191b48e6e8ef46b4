#!/usr/bin/env python3
"""FleetStatus --live over running projects against one project's `engine/agents status --json`, same run.

Usage: python3 bench/live/bench.py [RUNS] [PROJECTS] [--runbook PATH]     (from anywhere; prints Markdown tables)

Sets up, in a temporary folder: this checkout's engine published (PublishEngine) to a bare repository,
PROJECTS projects made with CreateProject --register (unique session prefixes), each with one `command`
agent running `sleep 3600`, started with StartProject. Then times whole commands, round-robin with a
rotating order so every case sees the same load: the two being compared, and the pieces of a harness
call (its bash launcher, the .NET start-up of the engine, tmux) to show where the time goes.
Always stops what it started (StopProject, then `engine/agents down`, then `tmux kill-session` of the
exact session names it made and the watchdogs it started), even when it fails or is interrupted.
--runbook PATH also times another build of this runbook (a Native AOT publish, say) on the same fleet, with the
temporary folder as its --root.
"""
import glob
import json
import resource
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BUILD = os.path.join(ROOT, "build.sh")
ARGS = sys.argv[1:]
OTHER_RUNBOOK = None
if "--runbook" in ARGS:
    OTHER_RUNBOOK = os.path.abspath(ARGS[ARGS.index("--runbook") + 1])
    del ARGS[ARGS.index("--runbook"):ARGS.index("--runbook") + 2]
RUNS = int(ARGS[0]) if len(ARGS) > 0 else 11
PROJECTS = int(ARGS[1]) if len(ARGS) > 1 else 20
REBUILDS = ("build.sh: building the runbook", "agents: building the engine")

# The launcher's content key, as engine/agents computes it on every call (copied from it).
CONTENT_KEY = r"""
find . \( -name bin -o -name obj -o -name .git \) -prune -o -type f ! -name 'README.md' -print0 \
    | LC_ALL=C sort -z | xargs -0 sha256sum
uname -m
"""


def run(command, cwd=ROOT, check=True, timeout=120, env=None):
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=timeout, env=env)
    if check and done.returncode != 0:
        raise RuntimeError(f"exit code {done.returncode}: {' '.join(command)}\n{done.stdout}")
    return done.stdout


def timed(command, cwd=ROOT, env=None):
    """(wall, CPU) of a whole command, CPU being user + system time of it and every process it waited for;
    None when the runbook or the engine was rebuilt during it (not a warm run)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    output = run(command, cwd, env=env)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if any(marker in output for marker in REBUILDS):
        print(f"(rebuilt during a sample, not counted: {' '.join(command)[:100]})", file=sys.stderr)
        return None
    return elapsed, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


class Fleet:
    def __init__(self, folder):
        self.folder = folder
        self.fleet = os.path.join(folder, "fleet.toml")
        self.token = secrets.token_hex(2)
        self.started = []  # (name, directory, session): everything that may need stopping

    def set_up(self):
        engine = os.path.join(self.folder, "engine.git")
        run(["git", "init", "-q", "--bare", engine])
        run([BUILD, "PublishEngine", "--engine-repo", engine, "--no-logo"])
        open(self.fleet, "w").close()
        for number in range(1, PROJECTS + 1):
            name, prefix = f"b{number}", f"b{number}x{self.token}-"
            run([BUILD, "CreateProject", "--name", name, "--engine-url", engine, "--register", "--fleet", self.fleet,
                 "--prefix", prefix, "--no-logo"])
            directory = os.path.join(self.folder, "projects", name)
            with open(os.path.join(directory, "agents.toml"), "w") as file:
                file.write(f'session_prefix = "{prefix}"\n\n[[agent]]\nname = "main"\nbackend = "command"\n'
                           'command = ["sleep", "3600"]\n')
            run(["git", "commit", "-q", "-am", "one sleeping agent"], cwd=directory)
            self.started.append((name, directory, f"{prefix}main"))
            run([BUILD, "StartProject", "--project", name, "--fleet", self.fleet, "--no-logo"])
        for name, directory, session in self.started:
            if subprocess.run(["tmux", "-L", socket_of(directory), "has-session", "-t", f"={session}"], stderr=subprocess.DEVNULL).returncode != 0:
                raise RuntimeError(f"{name}: no tmux session {session} after StartProject")

    def tear_down(self):
        for name, directory, session in self.started:
            try:
                run([BUILD, "StopProject", "--project", name, "--fleet", self.fleet, "--no-logo"], timeout=60)
            except Exception as error:  # the harness itself, then the exact session and watchdog
                print(f"StopProject {name} failed ({error}); stopping it by hand", file=sys.stderr)
                try:
                    run([os.path.join(directory, "engine", "agents"), "down"], cwd=directory, check=False, timeout=60)
                except Exception as error2:
                    print(f"engine/agents down failed in {name}: {error2}", file=sys.stderr)
            try:
                socket = socket_of(directory)
            except Exception as error:
                print(f"{name}: no tmux server to look at ({error})", file=sys.stderr)
            else:
                if subprocess.run(["tmux", "-L", socket, "has-session", "-t", f"={session}"], stderr=subprocess.DEVNULL).returncode == 0:
                    subprocess.run(["tmux", "-L", socket, "kill-session", "-t", f"={session}"])
            self.kill_watchdog(directory)

    @staticmethod
    def kill_watchdog(directory):
        try:
            with open(os.path.join(directory, ".ao-state", "watchdog.json")) as file:
                pid = int(json.load(file)["pid"])
            with open(f"/proc/{pid}/cmdline", "rb") as file:
                command = file.read().replace(b"\0", b" ").decode()
        except (OSError, ValueError, KeyError):
            return
        if "_watchdog" in command and directory in command:  # only the watchdog of a project this script made
            os.kill(pid, signal.SIGTERM)


def socket_of(directory):
    """The project's own tmux server (`tmux -L SOCKET`), as its engine reports it."""
    status = run([os.path.join(directory, "engine", "agents"), "status", "--json"], cwd=directory, timeout=60)
    return json.loads(status)["tmux_socket"]


def engine_program(directory):
    """The compiled engine that engine/agents execs: its per-machine cache folder, keyed like the launcher keys it."""
    engine = os.path.join(directory, "engine")
    key = subprocess.run(["bash", "-c", f"({CONTENT_KEY}) | sha256sum | cut -c1-16"], cwd=engine, text=True,
                         stdout=subprocess.PIPE, check=True).stdout.strip()
    program = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "agents-engine", key, "agents")
    if not os.access(program, os.X_OK):
        raise RuntimeError(f"the engine build {program} is missing")
    return program


def measure(fleet):
    first = fleet.started[0][1]
    agents = os.path.join(first, "engine", "agents")
    program = engine_program(first)
    directories = "\n".join(directory for _, directory, _ in fleet.started) + "\n"
    live = [BUILD, "FleetStatus", "--live", "--fleet", fleet.fleet, "--no-logo"]
    many_threads = dict(os.environ, DOTNET_ThreadPool_ForceMinWorkerThreads=hex(PROJECTS + 8))
    cases = {
        "ours": ("`./build.sh FleetStatus --live`", live, ROOT, None),
        "one": ("`engine/agents status --json` in one project", [agents, "status", "--json"], first, None),
        "plain": ("`./build.sh FleetStatus` (no `--live`: registry and git facts only)",
                  [BUILD, "FleetStatus", "--fleet", fleet.fleet, "--no-logo"], ROOT, None),
        "all": (f"{PROJECTS} x `engine/agents status --json`, all at once (`xargs -P {PROJECTS}`), no runbook",
                ["bash", "-c", f"xargs -P {PROJECTS} -I{{}} sh -c 'cd \"$1\" && engine/agents status --json >/dev/null' _ {{}} <<'EOF'\n{directories}EOF"],
                ROOT, None),
        "program": ("the engine program directly, `status --json` (no launcher)", [program, "status", "--json"], first, None),
        "version": ("the engine program directly, `--version` (.NET start-up floor)", [program, "--version"], first, None),
        "key": ("the launcher's content key alone (find + sha256sum of the engine's files)",
                ["bash", "-c", CONTENT_KEY], os.path.join(first, "engine"), None),
        "tmux": ("`tmux -L SOCKET list-panes -a` (what status asks the project's tmux server)",
                 ["tmux", "-L", socket_of(first), "list-panes", "-a"], first, None),
        "threads": ("`./build.sh FleetStatus --live` with `DOTNET_ThreadPool_ForceMinWorkerThreads` "
                    f"= {PROJECTS + 8} (diagnostic: no thread-pool ramp-up)", live, ROOT, many_threads),
    }
    if OTHER_RUNBOOK:
        cases["other"] = (f"`{os.path.basename(OTHER_RUNBOOK)} FleetStatus --live` (`--runbook`: another build of the runbook)",
                          [OTHER_RUNBOOK, *live[1:], "--root", fleet.folder], fleet.folder, None)
    # Warm-up, and the proof that every project is seen running.
    output = run(live)
    if output.count("1/1 agents running") != PROJECTS:
        raise RuntimeError(f"expected {PROJECTS} projects with 1/1 agents running:\n{output}")
    report = json.loads(run([agents, "status", "--json"], cwd=first))
    if report["agents"][0]["state"] != "running":
        raise RuntimeError(f"the agent of {first} is not running: {report}")
    for _, command, cwd, env in cases.values():
        run(command, cwd, env=env)
    times = {key: [] for key in cases}
    keys = list(cases)
    for index in range(RUNS):
        for key in keys[index % len(keys):] + keys[:index % len(keys)]:
            _, command, cwd, env = cases[key]
            sample = timed(command, cwd, env)
            if sample is not None:
                times[key].append(sample)
    medians = {key: statistics.median(wall for wall, _ in values) for key, values in times.items()}
    cpu = {key: statistics.median(used for _, used in values) for key, values in times.items()}

    def row(key):
        walls = [wall for wall, _ in times[key]]
        return (f"| {cases[key][0]} | {medians[key] * 1000:.0f} ms | {min(walls) * 1000:.0f} ms | {max(walls) * 1000:.0f} ms "
                f"| {cpu[key] * 1000:.0f} ms |")

    header = f"| median of {RUNS} (wall) | min | max | CPU, median |\n|---|---:|---:|---:|---:|"
    print(f"| {PROJECTS} running projects, 1 agent each {header}")
    print(row("ours"))
    print(row("one"))
    print()
    if OTHER_RUNBOOK:
        print(row("other"))
    print()
    print(f"Ratio FleetStatus --live / one project: **{medians['ours'] / medians['one']:.2f}x** (goal: at most 1.5x; "
          + (f"with `--runbook`: {medians['other'] / medians['one']:.2f}x; " if OTHER_RUNBOOK else "")
          + f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f})")
    print()
    print(f"| where the time goes (same run) {header}")
    for key in keys[2:]:
        if key != "other":
            print(row(key))
    print()
    print(f"Per harness call: {cpu['one'] * 1000:.0f} ms of CPU, of which the launcher "
          f"{(cpu['one'] - cpu['program']) * 1000:.0f} ms (`engine/agents` minus the program started directly; the "
          f"content key alone {cpu['key'] * 1000:.0f} ms), the .NET start-up floor {cpu['version'] * 1000:.0f} ms, "
          f"`status` above that {(cpu['program'] - cpu['version']) * 1000:.0f} ms (tmux list-panes alone "
          f"{cpu['tmux'] * 1000:.0f} ms). {PROJECTS} calls need {PROJECTS * cpu['one']:.1f} s of CPU, at least "
          f"{PROJECTS * cpu['one'] / os.cpu_count():.2f} s of wall time on {os.cpu_count()} cores. The live part of "
          f"FleetStatus (with minus without `--live`): {(medians['ours'] - medians['plain']) * 1000:.0f} ms; the same "
          f"{PROJECTS} calls made at once from bash: {medians['all'] * 1000:.0f} ms.")
    print()
    profile(program, first)


def profile(program, cwd, calls=10):
    """Where the engine's `status --json` spends its CPU, by binary, with perf (skipped when perf is unavailable)."""
    with tempfile.TemporaryDirectory() as folder:
        data = os.path.join(folder, "perf.data")
        try:
            subprocess.run(["perf", "record", "-q", "-F", "4000", "-o", data, "--", "bash", "-c",
                            f"for i in $(seq {calls}); do '{program}' status --json >/dev/null; done"],
                           cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            report = subprocess.run(["perf", "report", "-i", data, "--sort", "dso", "--stdio", "-q"],
                                    check=True, text=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
        except (OSError, subprocess.CalledProcessError):
            print("(perf is not available here: no CPU profile of the engine's status)")
            return
    groups = {"the runtime (libcoreclr: start-up, type loading)": 0.0, "the JIT compiler (libclrjit)": 0.0,
              "the kernel (process start, page faults)": 0.0, "managed code (the engine, the framework)": 0.0,
              "C libraries, loader, host, tmux, bash": 0.0}
    for line in report.splitlines():
        parts = line.split()
        if len(parts) < 2 or not parts[0].endswith("%"):
            continue
        share, dso = float(parts[0][:-1]), parts[1]
        if dso == "libcoreclr.so":
            groups["the runtime (libcoreclr: start-up, type loading)"] += share
        elif dso == "libclrjit.so":
            groups["the JIT compiler (libclrjit)"] += share
        elif dso.startswith("[kernel"):
            groups["the kernel (process start, page faults)"] += share
        elif dso.endswith(".dll") or dso.startswith("memfd:") or dso.startswith("perf-") or dso.startswith("[JIT"):
            groups["managed code (the engine, the framework)"] += share
        else:
            groups["C libraries, loader, host, tmux, bash"] += share
    print(f"| CPU of `status --json` ({calls} calls of the engine program, perf samples by binary) | share |")
    print("|---|---:|")
    for label, share in groups.items():
        print(f"| {label} | {share:.0f}% |")
    print()


def main():
    folder = tempfile.mkdtemp(prefix="bench-live-")
    fleet = Fleet(folder)

    def stop(signum, _frame):
        raise SystemExit(f"interrupted by signal {signum}")

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)
    try:
        fleet.set_up()
        measure(fleet)
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)  # let the tear-down finish
        fleet.tear_down()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
