#!/usr/bin/env bash
# Runs the runbook: ./build.sh [TARGET...] [--parameter value...]   (./build.sh --help lists them)
# Builds the runbook only when its sources changed; otherwise starts the compiled program directly.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$root/.nuke/temp/runbook"
stamp="$out/sources.stamp"
sources=("$root/build" "$root/engine/Toml")

# A source file or folder newer than the last successful build means a rebuild (folders catch added and deleted files).
stale() {
  [[ ! -f "$stamp" || ! -f "$out/_build.dll" ]] ||
    [[ -n "$(find "${sources[@]}" \( -name bin -o -name obj \) -prune -o -newer "$stamp" -print -quit)" ]]
}

if ! command -v dotnet >/dev/null 2>&1; then
  echo "build.sh: the .NET 10 SDK is not on PATH; install it (https://dot.net/download, or run inside 'nix develop') and retry" >&2
  exit 2
fi

if stale; then
  mkdir -p "$out"
  # One build at a time: concurrent first runs wait for it instead of building over each other.
  exec 9>"$out/build.lock"
  command -v flock >/dev/null 2>&1 && flock 9
  if stale; then
    echo "build.sh: building the runbook (its sources changed)" >&2
    touch "$stamp.next"
    # Intermediate files go under .nuke/temp, not into the source folders: a first build that made bin/ and obj/
    # there would make the folders look newer than the stamp. 9>&-: the build servers MSBuild leaves running must
    # not inherit the lock, or they would hold it for minutes.
    if ! DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 dotnet build "$root/build/_build.csproj" \
        --configuration Release --artifacts-path "$out/artifacts" --output "$out" --nologo --verbosity quiet \
        >"$out/build.log" 2>&1 9>&-; then
      # MSBuild repeats each error in its summary: show each once.
      grep -E ': (error|warning) [A-Z]+[0-9]+' "$out/build.log" | sort -u >&2 || cat "$out/build.log" >&2
      echo "build.sh: the runbook did not compile; see the errors above" >&2
      exit 2
    fi
    mv "$stamp.next" "$stamp"
  fi
  exec 9>&-
fi

exec dotnet "$out/_build.dll" "$@"
