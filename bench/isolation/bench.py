#!/usr/bin/env python3
"""IsolationCheck over a large generated project against grep and ripgrep, same tree, same run.

Usage: python3 bench/isolation/bench.py [RUNS] [FILES]     (from anywhere; prints a Markdown table)
Installs ripgrep (Debian package) when it is missing. The tree is a git repository of FILES text files
(default 40000, about 2 KB each, seeded so every run builds the same tree), 1% binary files, a vendored
engine/ and a few files that mention the fleet.
"""
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 11
FILES = int(sys.argv[2]) if len(sys.argv) > 2 else 40000
WORDS = ["fleet", "project-orchestrator", "project orchestrator"]


def ensure_ripgrep():
    if shutil.which("rg"):
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    install = sudo + ["apt-get", "install", "-y", "ripgrep"]
    if subprocess.run(install, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode != 0:
        subprocess.run(sudo + ["apt-get", "update"], stdout=subprocess.DEVNULL, check=True)
        subprocess.run(install, stdout=subprocess.DEVNULL, check=True)


def generate(project):
    rng = random.Random(42)
    vocabulary = ["def", "return", "value", "self", "config", "project", "agent", "start", "stop", "for", "in", "if",
                  "else", "orchestrate", "flee", "fleece", "the", "a", "list", "map", "error", "result", "path", "name"]
    lines = [" " * rng.choice([0, 4, 8]) + " ".join(rng.choice(vocabulary) for _ in range(rng.randint(2, 12))) + "\n"
             for _ in range(5000)]
    binary = bytes(rng.randrange(256) for _ in range(4096)).replace(b"\0", b"\1")

    def write(relative, content):
        path = os.path.join(project, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(content)

    for i in range(FILES):
        relative = f"src/m{i % 40:02d}/p{i % 173:03d}/file{i:05d}." + ("bin" if i % 100 == 7 else "txt")
        if i % 100 == 7:
            write(relative, b"\0" + binary)
            continue
        text = "".join(rng.choice(lines) for _ in range(min(400, int(rng.lognormvariate(3.5, 0.8)) + 1)))
        if i % 1000 == 500:
            text += f"deployed by the {WORDS[i // 1000 % 3]}\n"
        write(relative, text.encode())
    for i in range(500):
        write(f"engine/src/e{i:03d}.txt", b"the fleet's engine\n")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=project, check=True)
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "commit", "-q", "-m", "tree"],
                   cwd=project, check=True)


def timed(command, cwd):
    """Wall time and CPU time (user + system, the command's own processes included)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def listed(command, project):
    output = subprocess.run(command, cwd=project, capture_output=True, text=True).stdout
    return {line.removeprefix("./") for line in output.splitlines()}


def check_same_files(commands, project):
    """The comparison is fair only if all three find the same files."""
    report = json.loads(subprocess.run([*commands["ours"], "--json"], cwd=project, capture_output=True, text=True).stdout)
    ours = {v["path"] for p in report["projects"] for v in p["violations"] if v["line"] is not None}
    grep, rg = listed(commands["grep"], project), listed(commands["rg"], project)
    if not ours == grep == rg:
        sys.exit(f"the tools disagree: IsolationCheck {len(ours)} files, grep {len(grep)}, rg {len(rg)}")


def main():
    ensure_ripgrep()
    with tempfile.TemporaryDirectory() as folder:
        project = os.path.join(folder, "big")
        generate(project)
        fleet = os.path.join(folder, "fleet.toml")
        with open(fleet, "w") as f:
            f.write('[defaults]\nengine_url = "https://example.invalid/engine.git"\nref = "v0.1.0"\n\n'
                    '[[project]]\nname = "big"\nlocation = "big"\n')
        size = sum(os.path.getsize(os.path.join(d, n)) for d, _, names in os.walk(project) if ".git" not in d for n in names)
        patterns = [a for word in WORDS for a in ("-e", word)]
        commands = {
            "ours": [os.path.join(ROOT, "build.sh"), "IsolationCheck", "--fleet", fleet, "--no-logo", "--verbosity", "quiet"],
            "grep": ["grep", "-ril", *patterns, ".", "--exclude-dir=engine", "--exclude-dir=.git"],
            "rg": ["rg", "-il", "--hidden", "-g", "!.git", "-g", "!/engine/", *patterns, "."],
        }
        labels = {
            "ours": "`./build.sh IsolationCheck`",
            "grep": "`grep -ril` (the seed's check)",
            "rg": f"`rg -il` (ripgrep, {os.cpu_count()} threads)",
        }
        for command in commands.values():  # warm-up: page cache, and the runbook's first build
            timed(command, project)
        check_same_files(commands, project)
        times = {name: [] for name in commands}
        for _ in range(RUNS):  # interleaved, so load on the machine hits every command alike
            for name, command in commands.items():
                times[name].append(timed(command, project))
        wall = {name: statistics.median(w for w, _ in values) for name, values in times.items()}
        cpu = {name: statistics.median(c for _, c in values) for name, values in times.items()}
        print(f"{FILES} files, {size / 1e6:.0f} MB; median of {RUNS} runs each, interleaved; load average {os.getloadavg()[0]:.1f}\n")
        print("| command | wall | IsolationCheck's wall relative to it | CPU (user + system) | IsolationCheck's CPU relative to it |")
        print("|---|---|---|---|---|")
        for name in commands:
            print(f"| {labels[name]} | {wall[name] * 1000:.0f} ms | {wall['ours'] / wall[name]:.2f}x "
                  f"| {cpu[name] * 1000:.0f} ms | {cpu['ours'] / cpu[name]:.2f}x |")


if __name__ == "__main__":
    main()
