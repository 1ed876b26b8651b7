#!/usr/bin/env bash
# CTest browser.*: makes a page with the built spmc and checks it in headless Chromium
# (check_page.mjs). Fails, never skips, when the browser tooling is missing.
#   run_check.sh SPMC ARTIFACTS NAME run [spmc sim arguments...]
#   run_check.sh SPMC ARTIFACTS NAME sweep [spmc sweep arguments...]
#   run_check.sh SPMC ARTIFACTS NAME chart SCENARIO WANT [spmc chart arguments...]
#   run_check.sh SPMC ARTIFACTS NAME side SCENARIO COUNTEREXAMPLE
#   run_check.sh SPMC ARTIFACTS NAME svg FILE.svg
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
spmc="$1" artifacts="$2" name="$3" mode="$4"
shift 4
if [ ! -x /usr/bin/chromium ]; then
  echo "FAIL: /usr/bin/chromium is missing: run bash .ci/install-deps" >&2
  exit 1
fi
if [ ! -f "$here/node_modules/playwright-core/package.json" ]; then
  echo "FAIL: tests/browser/node_modules/playwright-core is missing: run bash .ci/install-deps" >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
shot="$artifacts/$name.png"
case "$mode" in
  run)
    code=0
    "$spmc" sim --json --report "$work/report" "$@" > "$work/report.json" || code=$?
    [ "$code" -le 1 ] || { echo "FAIL: spmc sim exited $code" >&2; exit 1; }
    node "$here/check_page.mjs" run "$work/report/index.html" "$work/report.json" "$shot"
    ;;
  sweep)
    code=0
    "$spmc" sweep --report "$work/report" "$@" > /dev/null || code=$?
    [ "$code" -le 1 ] || { echo "FAIL: spmc sweep exited $code" >&2; exit 1; }
    node "$here/check_page.mjs" sweep "$work/report/index.html" "$shot"
    ;;
  chart)
    # run_check.sh ... NAME chart SCENARIO WANT [spmc chart arguments...]: the scenario's run
    # charted by spmc chart; WANT is what the picture must show besides lifelines and arrows
    # (adversary, or any).
    scenario="$1" want="$2"
    shift 2
    code=0
    "$spmc" sim "$scenario" --trace "$work/trace.jsonl" > /dev/null || code=$?
    [ "$code" -le 1 ] || { echo "FAIL: spmc sim exited $code" >&2; exit 1; }
    "$spmc" chart "$work/trace.jsonl" "$@" --out "$work/chart.svg"
    node "$here/check_page.mjs" svg "$work/chart.svg" "$shot" "$want"
    ;;
  side)
    # run_check.sh ... NAME side SCENARIO COUNTEREXAMPLE: a model's counterexample beside the
    # simulator's replay of it (the scenario's abstract trace), as one SVG.
    code=0
    "$spmc" sim "$1" --abstract "$work/replay.abs" > /dev/null || code=$?
    [ "$code" -le 1 ] || { echo "FAIL: spmc sim exited $code" >&2; exit 1; }
    "$spmc" chart "$2" "$work/replay.abs" --out "$work/side.svg"
    node "$here/check_page.mjs" svg "$work/side.svg" "$shot" adversary
    ;;
  svg)
    node "$here/check_page.mjs" svg "$1" "$shot"
    ;;
  *)
    echo "usage: run_check.sh SPMC ARTIFACTS NAME run|sweep|chart|side|svg ..." >&2
    exit 2
    ;;
esac
