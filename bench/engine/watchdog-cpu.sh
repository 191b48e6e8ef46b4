#!/usr/bin/env bash
# Measures the CPU used by one project's watchdog while 10 agents sit idle.
#   bench/engine/watchdog-cpu.sh [SECONDS] [TRIALS] [INTERVAL...]
# Defaults: 60 s per trial, 3 trials, watchdog intervals 5s (the default) and 1s.
# AGENTS=path/to/engine/agents benchmarks another copy of the engine (e.g. a snapshot of a commit).
# Prints, per interval, each trial and the median, as % of one core: the watchdog process with the
# children it ran (its tmux clients), and separately the tmux server's share of the same period.
set -euo pipefail

seconds="${1:-60}"
trials="${2:-3}"
shift $(( $# > 2 ? 2 : $# ))
intervals=("$@")
[ "${#intervals[@]}" -gt 0 ] || intervals=(5s 1s)

repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
engine="${AGENTS:-$repo/engine/agents}"
ticks_per_second="$(getconf CLK_TCK)"
project="$(mktemp -d "${TMPDIR:-/tmp}/watchdog-bench-XXXXXX")"
prefix="wdbench$$-"

# The project's own tmux server, as the engine names it in status --json; the default server for an
# engine from before each project had its own.
tmux_server() {
    local socket
    socket="$(cd "$project" && "$engine" status --json 2>/dev/null | sed -n 's/^  "tmux_socket": "\(.*\)",$/\1/p')"
    if [ -n "$socket" ]; then tmux -L "$socket" "$@"; else tmux "$@"; fi
}

cleanup() {
    if ! (cd "$project" && "$engine" down >/dev/null 2>&1); then
        # The engine could not stop them: end this run's watchdog by pid and sessions by name, nothing else.
        local pid
        pid="$(sed -n 's/.*"pid": \([0-9]*\).*/\1/p' "$project/.ao-state/watchdog.json" 2>/dev/null | head -1)"
        if [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q _watchdog; then
            kill "$pid"
        fi
        tmux_server list-sessions -F '#{session_name}' 2>/dev/null | grep "^$prefix" | while read -r session; do
            tmux_server kill-session -t "=$session"
        done
    fi
    rm -rf "$project"
}
trap cleanup EXIT

# utime + stime + cutime + cstime of a process, in clock ticks.
cpu_ticks() {
    awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$1/stat"
}

median() {
    sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

"$engine" --version >/dev/null   # build outside the measurement

for interval in "${intervals[@]}"; do
    {
        printf 'session_prefix = "%s"\nwatchdog_interval = "%s"\n' "$prefix" "$interval"
        for i in $(seq 1 10); do
            printf '\n[[agent]]\nname = "idle%s"\nbackend = "command"\ncommand = ["sleep", "1000000"]\n' "$i"
        done
    } >"$project/agents.toml"

    watchdog_results=()
    server_results=()
    for trial in $(seq 1 "$trials"); do
        (cd "$project" && "$engine" up >/dev/null)
        watchdog="$(sed -n 's/.*"pid": \([0-9]*\).*/\1/p' "$project/.ao-state/watchdog.json" | head -1)"
        server="$(tmux_server display-message -p '#{pid}')"
        sleep 5   # let the watchdog settle past its start-up
        watchdog_before="$(cpu_ticks "$watchdog")"
        server_before="$(cpu_ticks "$server")"
        sleep "$seconds"
        watchdog_after="$(cpu_ticks "$watchdog")"
        server_after="$(cpu_ticks "$server")"
        (cd "$project" && "$engine" down >/dev/null)

        watchdog_percent="$(awk -v d=$((watchdog_after - watchdog_before)) -v t="$ticks_per_second" -v s="$seconds" 'BEGIN { printf "%.3f", 100 * d / t / s }')"
        server_percent="$(awk -v d=$((server_after - server_before)) -v t="$ticks_per_second" -v s="$seconds" 'BEGIN { printf "%.3f", 100 * d / t / s }')"
        watchdog_results+=("$watchdog_percent")
        server_results+=("$server_percent")
        printf 'interval %-5s trial %s: watchdog %s%% of a core, tmux server %s%%\n' "$interval" "$trial" "$watchdog_percent" "$server_percent"
    done
    printf 'interval %-5s median:  watchdog %s%% of a core, tmux server %s%% (%s trials of %s s, 10 idle agents)\n' \
        "$interval" "$(printf '%s\n' "${watchdog_results[@]}" | median)" "$(printf '%s\n' "${server_results[@]}" | median)" "$trials" "$seconds"
done
