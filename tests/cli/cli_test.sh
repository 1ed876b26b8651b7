#!/usr/bin/env bash
# The command line's contract: exit 0 pass, 1 a property failed, 2 bad usage or bad input
# (one line naming the problem); sim, replay, sweep and shrink work end to end.
set -u
spmc=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
passes=0
expect() {  # expect CODE DESCRIPTION -- COMMAND...
  local want=$1 what=$2
  shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [[ $got -ne $want ]]; then
    echo "FAIL $what: exit $got, want $want"; cat "$tmp/err"; failures=$((failures + 1))
  else
    echo "ok   $what"; passes=$((passes + 1))
  fi
}
expect 0 "default simulation passes" -- "$spmc" sim
expect 0 "--help" -- "$spmc" --help
expect 0 "sim --help" -- "$spmc" sim --help
expect 2 "unknown command" -- "$spmc" frobnicate
expect 2 "bad option value" -- "$spmc" sim --seed banana
echo '{"phones": 3, "bogus": 1}' >"$tmp/bad.json"
expect 2 "unknown scenario field" -- "$spmc" sim "$tmp/bad.json"
grep -q 'bogus' "$tmp/err" && [[ $(wc -l <"$tmp/err") -eq 1 ]] || { echo "FAIL error is not one line naming the field"; failures=$((failures + 1)); }
expect 1 "broken server is caught" -- "$spmc" sim --inject-bug server_keeps_delivered
grep -q 'replay: .*spmc sim --seed 1 --inject-bug server_keeps_delivered' "$tmp/err" || { echo "FAIL no replay command printed"; failures=$((failures + 1)); }
expect 1 "opt-in invariant catches the server that keeps acknowledged items" -- "$spmc" sim --inject-bug server_keeps_delivered --invariant acked_items_deleted --trace "$tmp/bug.jsonl"
grep -q 'replay: .*spmc sim --seed 1 --inject-bug server_keeps_delivered --invariant acked_items_deleted' "$tmp/err" || { echo "FAIL replay command lacks --invariant"; failures=$((failures + 1)); }
grep -q 'FAIL acked_items_deleted' "$tmp/out" || { echo "FAIL acked_items_deleted not judged"; failures=$((failures + 1)); }
expect 1 "replay judges the opt-in invariant the trace names" -- "$spmc" replay "$tmp/bug.jsonl"
grep -q 'FAIL acked_items_deleted' "$tmp/out" || { echo "FAIL replay dropped the opt-in invariant"; failures=$((failures + 1)); }
expect 2 "unknown opt-in invariant" -- "$spmc" sim --invariant nope
grep -q "unknown invariant 'nope'" "$tmp/err" || { echo "FAIL unknown invariant message"; failures=$((failures + 1)); }
expect 0 "sim --json --trace" -- "$spmc" sim --json --trace "$tmp/t.jsonl"
grep -q '"verdict":"pass"' "$tmp/out" || { echo "FAIL json verdict"; failures=$((failures + 1)); }
expect 0 "replay is byte-identical" -- "$spmc" replay "$tmp/t.jsonl"
sed -i '3s/"t":[0-9]*/"t":1/' "$tmp/t.jsonl"
expect 4 "replay notices a changed trace, and calls an edited line damage, not divergence" -- "$spmc" replay "$tmp/t.jsonl"
grep -q 'line 3 differs and every other line matches' "$tmp/out" || { echo "FAIL replay diagnosis of an edited line"; failures=$((failures + 1)); }
expect 0 "sweep" -- "$spmc" sweep --seeds 1..4 --shard 1/2
expect 2 "sweep bad range" -- "$spmc" sweep --seeds 9..1
expect 0 "shrink a failing run" -- "$spmc" shrink --inject-bug server_keeps_delivered --out "$tmp/s.json" --max-runs 40
expect 1 "the shrunk scenario still fails" -- "$spmc" sim "$tmp/s.json" --inject-bug server_keeps_delivered
expect 0 "vectors check" -- "$spmc" vectors check
# Attacks as findings: the paper profile fails exactly what the scenario declares, and says so.
root=$(cd "$(dirname "$0")/../.." && pwd)
expect 0 "attack scenario passes on its declared violations" -- "$spmc" sim "$root/simulator/scenarios/attacks/key_substitution.json"
grep -q 'PASS: exactly the expected violations occurred (2)' "$tmp/out" || { echo "FAIL attack verdict line"; failures=$((failures + 1)); }
grep -q 'FAIL (expected) u2u_detects_mitm' "$tmp/out" || { echo "FAIL expected violation not shown"; failures=$((failures + 1)); }
echo '{"adversaries": ["nobody"]}' >"$tmp/adv.json"
expect 2 "unknown adversary" -- "$spmc" sim "$tmp/adv.json"
grep -q "adversaries\[0\]: unknown adversary 'nobody'" "$tmp/err" || { echo "FAIL unknown adversary message"; failures=$((failures + 1)); }
expect 0 "requirements table agrees with the spec" -- "$spmc" requirements --profile paper --no-timing --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["checks"]) >= 20 and all(c["agreement"] != "DISAGREES" for c in d["checks"])' "$tmp/out" || { echo "FAIL requirements json"; failures=$((failures + 1)); }
expect 2 "requirements bad profile" -- "$spmc" requirements --profile nope
echo "$passes passed, $failures failed"
[[ $failures -eq 0 ]]
