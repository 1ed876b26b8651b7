#!/usr/bin/env bash
# Builds spmc_bench and spmc (preset bench), runs the micro-benchmarks with repetitions,
# then each simulator size once in its own process (so its peak RSS is its own), then the
# callgrind crypto share if asked, and prints the report.
# Extra arguments go to the micro-benchmark run (e.g. --benchmark_filter=Ratchet).
#   SIM_PHONES="1000 10000"   simulator sizes to run (100000 takes minutes); "" for none
#   SIM_CRYPTO=1              also run bench/sim_crypto_share.py (callgrind, 1k phones: minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset bench >/dev/null
cmake --build build/bench -j2 --target spmc_bench spmc >/dev/null
out=build/bench/results.json
# The tree measured (paper/make_bench.sh prints it): commit, "+dirty" if files differ from it.
{ git rev-parse --short HEAD 2>/dev/null || echo unknown; } | tr -d '\n' >build/bench/commit.txt
git diff --quiet HEAD 2>/dev/null || echo -n "+dirty" >>build/bench/commit.txt
./build/bench/bench/spmc_bench --benchmark_repetitions=5 \
  --benchmark_min_time=0.2 --benchmark_filter=-BM_SimWorld --benchmark_out="$out" \
  --benchmark_out_format=json "$@" >/dev/null
files=("$out")
for n in ${SIM_PHONES-1000 10000}; do
  ./build/bench/bench/spmc_bench --benchmark_filter="BM_SimWorld/$n/" \
    --benchmark_out="build/bench/sim_$n.json" --benchmark_out_format=json >/dev/null
  files+=("build/bench/sim_$n.json")
done
crypto=()
if [[ "${SIM_CRYPTO:-0}" == 1 ]]; then
  python3 bench/sim_crypto_share.py >/dev/null
fi
if [[ -f build/bench/sim_crypto_share.json ]]; then
  crypto=(--crypto build/bench/sim_crypto_share.json)
fi
python3 bench/report.py "${files[@]}" "${crypto[@]}"
