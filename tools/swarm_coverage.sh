#!/usr/bin/env bash
# Line coverage of reference/src and simulator/ reached by a fixed sweep (the built-in default
# scenario) and by a swarm sweep of as many seeds (simulator/SWARM.md quotes the figures).
# Needs gcc's gcov only (no gcovr or lcov): tools/gcov_lines.py merges gcov's JSON per line.
#   tools/swarm_coverage.sh [SEEDS]        SEEDS: a range A..B, default 1..1000
# Builds build/cov (Debug, --coverage, no tests) on first use.
set -euo pipefail
seeds=${1:-1..1000}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build/cov
if [[ ! -x $build/simulator/spmc ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSPMC_TESTS=OFF \
    -DCMAKE_CXX_FLAGS=--coverage -DCMAKE_EXE_LINKER_FLAGS=--coverage >/dev/null
fi
cmake --build "$build" --target spmc >/dev/null
spmc=$build/simulator/spmc

measure() {  # label, then the spmc arguments
  local label=$1
  shift
  find "$build" -name '*.gcda' -delete
  local start=$SECONDS
  "$spmc" "$@" --json >"$build/$label.sweep.json" || true
  local secs=$((SECONDS - start))
  echo "== $label: spmc $* ($secs s)"
  cat "$build/$label.sweep.json"
  python3 "$root/tools/gcov_lines.py" "$build" "$root" reference/src simulator
}

measure fixed sweep "$root/simulator/scenarios/default.json" --seeds "$seeds"
measure swarm sweep --swarm --seeds "$seeds"
