#!/usr/bin/env bash
# Reproduces the "TOML parse" figures of BENCHMARKS.md: ./bench/toml/run.sh [ITERATIONS] [PYTHON_ITERATIONS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dotnet build "$here/TomlBench.csproj" -c Release --nologo -v quiet -o "$here/bin/run" >&2
exec dotnet "$here/bin/run/TomlBench.dll" "$@"
