#!/usr/bin/env python3
"""FleetStatus and ValidateFleet over real project repositories against `gita ll` on the same repositories, same run.

Usage: python3 bench/fleet/status.py [RUNS] [PROJECTS] [--baseline REV] [--runbook PATH]     (prints Markdown tables)

Builds, in a temporary folder: a bare engine repository tagged v0.1.0, PROJECTS project repositories (engine/ added
with git submodule add and checked out at v0.1.0, an agents.toml, one commit), each with its own bare upstream that
its main branch tracks; every fifth project is one commit ahead of its upstream and every tenth has an uncommitted
change. A fleet.toml registers them all and gita (Debian's package, installed with apt-get when missing) is given the
same repositories in a configuration folder of its own (XDG_CONFIG_HOME). Before timing, the script checks that
FleetStatus and gita see the same uncommitted projects, and that ValidateFleet passes.

--baseline REV also times the runbook as it was at REV of this repository (exported with git archive and built
apart), to compare with the git-command reads it made before they moved in process. --runbook PATH also times another
build of this runbook (a Native AOT publish, say), with the temporary folder as its --root.
Cases are run round-robin, the order rotating each run, so all see the same load.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from validate import ROOT, git, make_engine, make_project, print_table, round_robin, timed, write_fleet

ARGS = sys.argv[1:]


def option(name):
    if name not in ARGS:
        return None
    value = ARGS[ARGS.index(name) + 1]
    del ARGS[ARGS.index(name):ARGS.index(name) + 2]
    return value


BASELINE = option("--baseline")
OTHER_RUNBOOK = option("--runbook")
RUNS = int(ARGS[0]) if len(ARGS) > 0 else 7
PROJECTS = int(ARGS[1]) if len(ARGS) > 1 else 100


def ensure_gita():
    if shutil.which("gita"):
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    install = sudo + ["apt-get", "install", "-y", "-qq", "gita"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    if subprocess.run(install, **quiet).returncode != 0:
        subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True, **quiet)
        subprocess.run(install, check=True, **quiet)


def make_fleet(folder, engine):
    names = [f"p{i:03d}" for i in range(PROJECTS)]
    for number, name in enumerate(names):
        directory = os.path.join(folder, "projects", name)
        make_project(directory, engine)
        upstream = os.path.join(folder, "upstreams", f"{name}.git")
        git(folder, "clone", "-q", "--bare", directory, upstream)
        git(directory, "remote", "add", "origin", upstream)
        git(directory, "fetch", "-q", "origin")
        git(directory, "branch", "-q", "-u", "origin/main")
        if number % 5 == 4:
            with open(os.path.join(directory, "NOTES.md"), "w") as file:
                file.write("one more commit\n")
            git(directory, "add", "NOTES.md")
            git(directory, "commit", "-q", "-m", "ahead of upstream")
        if number % 10 == 9:
            with open(os.path.join(directory, "agents.toml"), "a") as file:
                file.write("# an uncommitted edit\n")
    fleet = os.path.join(folder, "fleet.toml")
    write_fleet(fleet, engine, names)
    return fleet, [os.path.join(folder, "projects", name) for name in names]


def baseline_runbook(folder):
    """This repository's runbook at BASELINE, exported and built on its own."""
    tree = os.path.join(folder, "baseline")
    os.makedirs(tree)
    archive = subprocess.run(["git", "archive", BASELINE], cwd=ROOT, stdout=subprocess.PIPE, check=True).stdout
    subprocess.run(["tar", "-x", "-C", tree], input=archive, check=True)
    subprocess.run([os.path.join(tree, "build.sh"), "--help"], cwd=tree, stdout=subprocess.DEVNULL, check=True)
    return os.path.join(tree, "build.sh")


def check_agreement(status_command, gita_command, env):
    """Both must see the same projects with uncommitted changes, or the comparison is not fair."""
    status = subprocess.run(status_command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, check=True).stdout
    ours = {line.split()[0] for line in status.splitlines() if re.search(r"\d+ uncommitted", line)}
    listing = subprocess.run(gita_command, cwd=ROOT, stdout=subprocess.PIPE, text=True, env=env, check=True).stdout
    plain = re.sub(r"\x1b\[[0-9;]*m", "", listing)
    # A line is "NAME BRANCH FLAGS ...", FLAGS being some of * (unstaged changes), + (staged) and _ (untracked), or absent.
    theirs = {fields[0] for fields in (line.split() for line in plain.splitlines()) if len(fields) > 2 and re.fullmatch(r"[*+_]+", fields[2]) and "*" in fields[2]}
    listed = sum(1 for line in plain.splitlines() if line.strip())
    if ours != theirs or listed != PROJECTS:
        sys.exit(f"FleetStatus and gita ll disagree: uncommitted {sorted(ours)} against {sorted(theirs)}; gita listed {listed} repositories")


def main():
    ensure_gita()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(folder)
        setup = time.perf_counter()
        fleet, projects = make_fleet(folder, engine)
        setup = time.perf_counter() - setup
        gita_env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(folder, "config"))
        subprocess.run(["gita", "add", *projects], env=gita_env, stdout=subprocess.DEVNULL, check=True)
        empty = os.path.join(folder, "empty.toml")
        open(empty, "w").close()

        build = os.path.join(ROOT, "build.sh")
        cases = {
            "`./build.sh FleetStatus`": ([build, "FleetStatus", "--fleet", fleet, "--no-logo"], None, ROOT),
            "`./build.sh ValidateFleet`": ([build, "ValidateFleet", "--fleet", fleet, "--no-logo"], None, ROOT),
            "`gita ll` (Debian's gita)": (["gita", "ll"], gita_env, ROOT),
            "start-up floor: `./build.sh FleetStatus` on an empty fleet": ([build, "FleetStatus", "--fleet", empty, "--no-logo"], None, ROOT),
        }
        if BASELINE:
            old = baseline_runbook(folder)
            cases[f"`./build.sh FleetStatus` at {BASELINE} (git commands)"] = ([old, "FleetStatus", "--fleet", fleet, "--no-logo"], None, ROOT)
            cases[f"`./build.sh ValidateFleet` at {BASELINE} (git commands)"] = ([old, "ValidateFleet", "--fleet", fleet, "--no-logo"], None, ROOT)
        if OTHER_RUNBOOK:
            other = os.path.abspath(OTHER_RUNBOOK)
            for target in ("FleetStatus", "ValidateFleet"):
                cases[f"`{os.path.basename(other)} {target}` (`--runbook`)"] = ([other, target, "--fleet", fleet, "--root", folder, "--no-logo"], None, folder)
        for case in cases.values():
            timed(*case)  # warm-up, and the proof that every command succeeds (ValidateFleet: a clean fleet)
        check_agreement(cases["`./build.sh FleetStatus`"][0], ["gita", "ll"], gita_env)

        labels = list(cases)
        medians = print_table(f"{PROJECTS} projects", round_robin(labels, lambda label: timed(*cases[label]), RUNS), RUNS)
        gita = medians[labels[2]]
        others = "".join(f"{label}: {medians[label] / gita:.3f}x; " for label in labels[4:])
        print(f"Relative to gita ll: FleetStatus **{medians[labels[0]] / gita:.3f}x**; ValidateFleet {medians[labels[1]] / gita:.3f}x; {others}"
              f"on {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} "
              f"(setting up the {PROJECTS} repositories took {setup:.0f} s)")


if __name__ == "__main__":
    main()
