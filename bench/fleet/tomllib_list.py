#!/usr/bin/env python3
"""What ListFleet prints, done with Python's tomllib: the baseline of bench/fleet/list.py.

Usage: python3 bench/fleet/tomllib_list.py FLEET_TOML
Loads the file, resolves [defaults], prints one line per project: name, enabled, harness@ref, location.
"""
import sys
import tomllib


def main():
    with open(sys.argv[1], "rb") as file:
        fleet = tomllib.load(file)
    defaults = fleet.get("defaults", {})
    rows = [("NAME", "ENABLED", "ENGINE", "LOCATION")]
    for project in fleet.get("project", []):
        harness = project.get("harness", defaults.get("harness", "agents"))
        ref = project.get("ref", defaults.get("ref"))
        enabled = "yes" if project.get("enabled", defaults.get("enabled", True)) else "no"
        rows.append((project["name"], enabled, f"{harness}@{ref}", project["location"]))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    sys.stdout.write("".join(
        f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]}\n" for row in rows))


if __name__ == "__main__":
    main()
