#!/usr/bin/env bash
# Builds spmc_bench (preset bench), runs it with repetitions and prints the report.
# Extra arguments go to the benchmark (e.g. --benchmark_filter=Ratchet).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset bench >/dev/null
cmake --build build/bench -j2 --target spmc_bench >/dev/null
out=build/bench/results.json
./build/bench/bench/spmc_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_min_time=0.2 --benchmark_out="$out" --benchmark_out_format=json "$@" >/dev/null
python3 bench/report.py "$out"
