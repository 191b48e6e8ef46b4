#!/usr/bin/env bash
# The baseline of CreateProject: the same sequence by hand (docs/manage-projects.md, "Create a project").
# Usage: bench/lifecycle/create_by_hand.sh DIR NAME ENGINE_URL REF
set -euo pipefail
dir="$1" name="$2" url="$3" ref="$4"
mkdir -p "$dir/$name"
cd "$dir/$name"
git init -q -b main
git -c protocol.file.allow=always submodule add -q -- "$url" engine
git -C engine -c protocol.file.allow=always fetch -q --tags origin
git -C engine checkout -q --detach "$ref"
engine/agents init . >/dev/null
echo ".ao-state/" >> .gitignore
git add -A
git commit -q -m "Create $name with engine $ref"
