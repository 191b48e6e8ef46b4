#!/usr/bin/env python3
"""The baseline: what `./build.sh ListFleet --fleet FILE` prints, from a 60-line script with tomllib.

Usage: python3 bench/runbook/list_fleet.py FLEET_TOML
Reads the registry, resolves each project's defaults ([defaults], else harness "agents") and prints the same
aligned table: NAME, ENABLED, ENGINE (harness@ref), LOCATION (relative to the registry's folder).
"""
import os
import sys
import tomllib


def resolve(project, defaults, folder):
    location = project["location"]
    directory = os.path.normpath(location if os.path.isabs(location) else os.path.join(folder, location))
    return [
        project["name"],
        "yes" if project.get("enabled", True) else "no",
        f'{project.get("harness", defaults.get("harness", "agents"))}@{project.get("ref", defaults.get("ref"))}',
        os.path.relpath(directory, folder),
    ]


def table(headers, rows):
    widths = [max([len(headers[i])] + [len(row[i]) for row in rows]) for i in range(len(headers))]
    lines = []
    for cells in [headers] + rows:
        padded = [cell if i == len(cells) - 1 else cell.ljust(widths[i]) for i, cell in enumerate(cells)]
        lines.append("  ".join(padded).rstrip())
    return "\n".join(lines) + "\n"


def main():
    path = os.path.abspath(sys.argv[1])
    with open(path, "rb") as file:
        registry = tomllib.load(file)
    defaults = registry.get("defaults", {})
    folder = os.path.dirname(path)
    rows = [resolve(project, defaults, folder) for project in registry.get("project", [])]
    sys.stdout.write(table(["NAME", "ENABLED", "ENGINE", "LOCATION"], rows))


if __name__ == "__main__":
    main()
