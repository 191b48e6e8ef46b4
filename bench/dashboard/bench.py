#!/usr/bin/env python3
"""GET /api/v1/state of the dashboard over 100 projects (20 running), warm and under load, counting harness calls.

Usage: python3 bench/dashboard/bench.py [--keep]     (from anywhere; needs tmux, git, dotnet and wrk: apt-get install wrk)

Builds a fleet of 100 real projects in a temporary folder, each vendoring this checkout's engine/ as its engine
submodule (one command agent each: sleep), starts 20 of them, builds the dashboard server (build/Dashboard/Server)
and starts it on a free port of 127.0.0.1, as Serve does. Then:
  - warm: 500 sequential requests on one keep-alive connection: p50, p99;
  - load: wrk, 50 connections, 2 threads, 10 s: p50, p99, requests/s;
and counts the harness calls made meanwhile: every project's engine/agents is a wrapper that logs each call, then
execs the real launcher. The engine is built for the .NET runtime (no C compiler on PATH, in a cache of the bench's
own): its speed only sets how long a gathering takes, which no request waits for once the first has ended.
Prints Markdown with every figure and the load average before and after.
"""
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROJECTS = 100
RUNNING = 20
WARM_REQUESTS = 500
PREFIX = f"dbench{os.getpid()}"


def git(cwd, *args, env=None):
    subprocess.run(["git", "-c", "protocol.file.allow=always", *args], cwd=cwd, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def without_c_compiler(folder):
    """A PATH of links to every program on PATH but the C compilers: the launcher then builds the JIT engine."""
    os.makedirs(folder)
    for directory in os.environ["PATH"].split(":"):
        if not os.path.isdir(directory):
            continue
        for name in os.listdir(directory):
            link = os.path.join(folder, name)
            if name.split("-")[0] in ("gcc", "clang", "cc") or os.path.lexists(link):
                continue
            os.symlink(os.path.join(directory, name), link)
    return folder


def publish_engine(folder, log):
    """This checkout's engine/ as a bare repository tagged v0.1.0, its launcher wrapped to log every call."""
    work = os.path.join(folder, "engine-work")
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z", "--", "engine"],
                           cwd=ROOT, check=True, stdout=subprocess.PIPE).stdout.decode().split("\0")
    for relative in filter(None, files):
        source = os.path.join(ROOT, relative)
        if os.path.isfile(source):
            target = os.path.join(work, relative[len("engine/"):])
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copy2(source, target)
    os.rename(os.path.join(work, "agents"), os.path.join(work, "agents.real"))
    with open(os.path.join(work, "agents"), "w") as wrapper:
        wrapper.write(f'#!/usr/bin/env bash\necho "$*" >> {log}\nexec "${{BASH_SOURCE[0]}}.real" "$@"\n')
    os.chmod(os.path.join(work, "agents"), 0o755)
    git(work, "init", "-q", "-b", "main")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "engine")
    git(work, "tag", "v0.1.0")
    bare = os.path.join(folder, "engine.git")
    git(folder, "clone", "-q", "--bare", work, bare)
    return bare


def create_projects(folder, engine):
    """One project made as CreateProject makes it, copied 99 times, each with its own session prefix, committed."""
    projects = os.path.join(folder, "projects")
    first = os.path.join(projects, "p000")
    os.makedirs(first)
    git(first, "init", "-q", "-b", "main")
    git(first, "submodule", "add", "-q", engine, "engine")
    git(os.path.join(first, "engine"), "checkout", "-q", "v0.1.0")
    for i in range(PROJECTS):
        directory = os.path.join(projects, f"p{i:03d}")
        if i > 0:
            shutil.copytree(first, directory, symlinks=True)
        with open(os.path.join(directory, "agents.toml"), "w") as config:
            config.write(f'session_prefix = "{PREFIX}-p{i:03d}-"\n\n[[agent]]\nname = "worker"\nkind = "persistent"\n'
                         'backend = "command"\ncommand = ["sleep", "3600"]\nwatch = "heal"\n')
        git(directory, "add", "-A")
        git(directory, "commit", "-q", "-m", "agents")
    with open(os.path.join(folder, "fleet.toml"), "w") as fleet:
        fleet.write(f'[defaults]\nengine_url = "{engine}"\nref = "v0.1.0"\n')
        for i in range(PROJECTS):
            fleet.write(f'\n[[project]]\nname = "p{i:03d}"\nlocation = "projects/p{i:03d}"\n')
    return [os.path.join(projects, f"p{i:03d}") for i in range(PROJECTS)]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def wrk_millis(text, label):
    match = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def count(log):
    with open(log) as lines:
        return sum(1 for _ in lines)


def main():
    if shutil.which("wrk") is None:
        sys.exit("bench: wrk is not on PATH; install it with: apt-get install wrk")
    keep = "--keep" in sys.argv
    folder = tempfile.mkdtemp(prefix="dashboard-bench-")
    log = os.path.join(folder, "harness-calls.log")
    open(log, "w").close()
    env = dict(os.environ, XDG_CACHE_HOME=os.path.join(folder, "cache"), PATH=without_c_compiler(os.path.join(folder, "path")),
               GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.invalid", GIT_COMMITTER_NAME="Bench",
               GIT_COMMITTER_EMAIL="bench@example.invalid")
    projects, server = [], None
    try:
        print("bench: building the fleet (100 projects) and the engine...", file=sys.stderr)
        engine = publish_engine(folder, log)
        projects = create_projects(folder, engine)
        subprocess.run([os.path.join(projects[0], "engine", "agents"), "--version"], cwd=projects[0], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for directory in projects[:RUNNING]:
            subprocess.run([os.path.join(directory, "engine", "agents"), "up"], cwd=directory, env=env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print("bench: building the dashboard server...", file=sys.stderr)
        out = os.path.join(folder, "server")
        subprocess.run(["dotnet", "build", os.path.join(ROOT, "build", "Dashboard", "Server", "Server.csproj"), "-c", "Release",
                        "--artifacts-path", os.path.join(folder, "artifacts"), "-o", out, "--nologo", "-v", "quiet"],
                       check=True, stdout=subprocess.DEVNULL, env=dict(env, PATH=os.environ["PATH"]))
        server = subprocess.Popen(["dotnet", os.path.join(out, "dashboard-server.dll"), "--fleet", os.path.join(folder, "fleet.toml"),
                                   "--port", "0"], cwd=folder, env=env, stdout=subprocess.PIPE, text=True)
        line = server.stdout.readline()
        url = re.search(r"http://\S+/", line).group(0)
        host, port = re.match(r"http://([^:/]+):(\d+)/", url).groups()
        calls_at_start = count(log)

        load_before = open("/proc/loadavg").read().split()[:3]
        connection = http.client.HTTPConnection(host, int(port))
        first = time.perf_counter()
        connection.request("GET", "/api/v1/state")
        body = connection.getresponse().read()
        first = (time.perf_counter() - first) * 1000
        assert body.count(b'"name"') >= PROJECTS, body[:200]
        warm = []
        calls_before_warm = count(log)
        for _ in range(WARM_REQUESTS):
            start = time.perf_counter()
            connection.request("GET", "/api/v1/state")
            response = connection.getresponse()
            response.read()
            assert response.status == 200
            warm.append((time.perf_counter() - start) * 1000)
        warm_seconds = sum(warm) / 1000
        calls_warm = count(log) - calls_before_warm

        calls_before_load = count(log)
        loaded = subprocess.run(["wrk", "-t2", "-c50", "-d10s", "--latency", url + "api/v1/state"],
                                check=True, stdout=subprocess.PIPE, text=True).stdout
        calls_load = count(log) - calls_before_load
        load_after = open("/proc/loadavg").read().split()[:3]
        requests = float(re.search(r"Requests/sec:\s+([\d.]+)", loaded).group(1))
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", loaded)

        print(f"| case | p50 | p99 | requests | harness calls |\n|---|---:|---:|---:|---:|")
        print(f"| first request (waits for the first gathering) | {first:.0f} ms | | 1 | {calls_before_warm - calls_at_start} |")
        print(f"| warm, sequential, one keep-alive connection | {statistics.median(warm):.2f} ms | {percentile(warm, 0.99):.2f} ms "
              f"| {WARM_REQUESTS} in {warm_seconds:.1f} s | {calls_warm} |")
        print(f"| wrk, 50 connections, 2 threads, 10 s | {wrk_millis(loaded, '50%'):.2f} ms | {wrk_millis(loaded, '99%'):.2f} ms "
              f"| {requests:.0f}/s | {calls_load} |")
        print(f"\nNon-2xx answers under load: {errors.group(1) if errors else 0}.")
        print(f"Load average (1, 5, 15 min) before: {' '.join(load_before)}; after: {' '.join(load_after)}; {os.cpu_count()} cores.")
        print("\n<details><summary>wrk's output</summary>\n\n```\n" + loaded.strip() + "\n```\n</details>")
    finally:
        if server is not None:
            server.send_signal(2)
            server.wait(30)
        for directory in projects[:RUNNING]:
            subprocess.run([os.path.join(directory, "engine", "agents"), "down"], cwd=directory, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if keep:
            print(f"bench: kept {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


main()
