#!/usr/bin/env bash
# Runs the runbook: ./build.sh [TARGET...] [--parameter value...]   (./build.sh --help lists them)
# Starts the native runbook when it was built from the current sources. After an edit it compiles the JIT build and
# runs that at once, while the native binary is published in the background. The warm path starts no process but the
# runbook: parameter expansion and builtins only.
set -euo pipefail

case ${BASH_SOURCE[0]} in */*) root=${BASH_SOURCE[0]%/*} ;; *) root=. ;; esac
out=$root/.nuke/temp/runbook
project=$root/build/_build.csproj
sources=("$root/build" "$root/engine/Toml")

# Whether anything under the given files and folders is newer than the stamp $1: an edited file, or a folder whose
# entries changed (a file added, deleted or renamed). bin/ and obj/ of an IDE's build are no sources.
newer_than() {
  local stamp=$1 entry
  shift
  for entry in "$@"; do
    case ${entry##*/} in bin | obj) continue ;; esac
    [[ $entry -nt $stamp ]] && return 0
    if [[ -d $entry && ! -L $entry ]]; then
      newer_than "$stamp" "$entry"/* "$entry"/.[!.]* && return 0
    fi
  done
  return 1
}

# Whether the stamp exists and no source is newer: what it stands for was built from the current sources.
current() { [[ -f $1 ]] && ! newer_than "$1" "${sources[@]}"; }

[[ -x $out/native/_build ]] && current "$out/native.stamp" && exec "$out/native/_build" "$@"

say() { printf 'build.sh: %s\n' "$1" >&2; }

# "about 40 s" from the last such build on this machine, else the typical time.
estimate() {
  local seconds
  if [[ -f $out/$1.seconds ]] && read -r seconds <"$out/$1.seconds" && [[ $seconds =~ ^[0-9]+$ ]]; then
    printf 'about %s s' "$seconds"
  else
    printf '%s' "$2"
  fi
}

build_jit() {
  local started=$SECONDS
  if [[ -f $out/jit/_build.dll ]]; then
    say "building the runbook (its sources changed; $(estimate jit 'about 20 s'))..."
  else
    say "building the runbook for the first time ($(estimate jit 'about 30 s'); then a native binary is published in the background)..."
  fi
  : >"$out/jit.stamp.next"
  # Intermediate files go under .nuke/temp, not into the source folders, where they would look like changed sources.
  # 9>&-: the build servers MSBuild leaves running must not inherit the lock, or they would hold it for minutes.
  if ! DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 dotnet build "$project" \
      --configuration Release --artifacts-path "$out/jit-artifacts" --output "$out/jit" --nologo --verbosity quiet \
      >"$out/jit.log" 2>&1 9>&-; then
    # MSBuild repeats each error in its summary: show each once.
    grep -E ': (error|warning) [A-Z]+[0-9]+' "$out/jit.log" | sort -u >&2 || cat "$out/jit.log" >&2
    say "the runbook did not compile; see the errors above"
    exit 2
  fi
  mv -f "$out/jit.stamp.next" "$out/jit.stamp"
  printf '%s\n' $((SECONDS - started)) >"$out/jit.seconds"
  built=yes
}

# Runs detached (its own session, output to native.log), holding the lock on fd 8 that it was started with.
publish_native() {
  local started=$SECONDS
  rm -rf "$out/native.next"
  if DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 dotnet publish "$project" \
      --configuration Release --artifacts-path "$out/native-artifacts" --output "$out/native.next" --nologo 8>&-; then
    # The whole folder: native libraries of packages (libgit2) sit beside the binary.
    rm -rf "$out/native"
    mv "$out/native.next" "$out/native"
    mv -f "$out/native.stamp.next" "$out/native.stamp"
    rm -f "$out/native.failed"
    printf '%s\n' $((SECONDS - started)) >"$out/native.seconds"
  else
    mv -f "$out/native.stamp.next" "$out/native.failed"
  fi
  rm -rf "$out/native.next"
}

# Starts publishing the native binary in the background, unless one is under way, it failed for these sources, or
# this machine cannot link one.
start_native_publish() {
  if current "$out/native.failed"; then
    say "the native runbook did not build (errors in .nuke/temp/runbook/native.log): running the JIT build"
    return
  fi
  if ! command -v clang >/dev/null 2>&1 && ! command -v gcc >/dev/null 2>&1; then
    # An if, not &&: a false test as the function's last status would end the script (set -e) before the runbook runs.
    if [[ -n ${built:-} ]]; then
      say "no C compiler (clang or gcc) on PATH: the runbook runs as a JIT build; install clang or gcc (or use 'nix develop') for a native one that starts about 10x faster"
    fi
    return
  fi
  exec 8>"$out/native.lock"
  if ! flock -n 8; then
    exec 8>&-
    return
  fi
  say "publishing the native runbook in the background ($(estimate native 'a minute or two'); log: .nuke/temp/runbook/native.log); until then ./build.sh runs the JIT build"
  : >"$out/native.stamp.next"
  export -f publish_native
  # A session of its own: Ctrl-C on this run must not stop the publish. It inherits fd 8, so it holds the lock.
  out=$out project=$project setsid bash -c publish_native </dev/null >"$out/native.log" 2>&1 &
  exec 8>&-
}

if ! command -v dotnet >/dev/null 2>&1; then
  say "the .NET 10 SDK is not on PATH; install it (https://dot.net/download, or run inside 'nix develop') and retry"
  exit 2
fi

mkdir -p "$out"
if ! { [[ -f $out/jit/_build.dll ]] && current "$out/jit.stamp"; }; then
  # One build at a time: concurrent first runs wait for it instead of building over each other.
  exec 9>"$out/build.lock"
  command -v flock >/dev/null 2>&1 && flock 9
  [[ -f $out/jit/_build.dll ]] && current "$out/jit.stamp" || build_jit
  exec 9>&-
fi
command -v flock >/dev/null 2>&1 && command -v setsid >/dev/null 2>&1 && start_native_publish
exec dotnet "$out/jit/_build.dll" "$@"
