#!/usr/bin/env bash
# The baseline of UpdateEngine: the same git sequence by hand (docs/manage-projects.md, "Move a project's engine").
# Usage: bench/lifecycle/bump_by_hand.sh PROJECT_DIR REF
set -euo pipefail
cd "$1"
git -C engine -c protocol.file.allow=always fetch -q --tags origin
git -C engine checkout -q --detach "$2"
git commit -q -m "Bump engine to $2" -- engine
