#!/usr/bin/env bash
# Unbounded work from a user's number or file is bounded (issue 23): seed ranges stream,
# scenario reads are bounded, a scenario's memory and time are estimated before it runs and
# refused above --max-memory, --max-events / --max-wall stop a run with verdict STOPPED
# (exit 2) without changing a run that finishes; the docs drift check fails on drift and a
# scenario that names itself nothing is not reported as the default world.
# usage: bounds_test.sh SPMC SOURCE_DIR
set -u
spmc=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
passes=0
check() {  # check CODE NAME PATTERN -- COMMAND...: exit code, and PATTERN in stdout+stderr
  local want=$1 name=$2 pattern=$3
  shift 4
  timeout 120 "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [[ $got -ne $want ]]; then
    echo "FAIL $name: exit $got, want $want"; cat "$tmp/err"; failures=$((failures + 1))
  elif ! grep -qE -- "$pattern" "$tmp/out" "$tmp/err"; then
    echo "FAIL $name: no line matching '$pattern'"; cat "$tmp/out" "$tmp/err"
    failures=$((failures + 1))
  else
    echo "ok   $name"; passes=$((passes + 1))
  fi
}
one_line_error() {  # the last command's stderr is exactly one line
  [[ $(wc -l <"$tmp/err") -eq 1 ]] || { echo "FAIL $1: error is not one line"; failures=$((failures + 1)); }
}

# Seed ranges stream: a 2^64-seed sweep starts at once and holds no list of seeds (under a
# 2 GiB address-space limit unless the build is sanitized, which reserves terabytes).
limit_vm=""
# (g++ links ASan as a shared library, clang into the binary: look for its entry point.)
if ! grep -qa __asan_init "$spmc"; then limit_vm="ulimit -v 2000000;"; fi
check 2 huge_seed_range_streams_and_stops_at_max_events \
  'STOPPED after 0 of 18446744073709551615 seeds: in seed 1: event limit of 2000 reached' -- \
  bash -c "$limit_vm \"\$0\" sweep --seeds 1..18446744073709551615 --max-events 2000" "$spmc"
check 2 full_seed_range_counts_two_to_the_64 'of 18446744073709551616 seeds' -- \
  bash -c "$limit_vm \"\$0\" sweep --seeds 0..18446744073709551615 --max-events 2000" "$spmc"
check 2 huge_seed_range_stops_at_max_wall 'wall-clock limit of 1 s reached' -- \
  bash -c "$limit_vm \"\$0\" sweep --seeds 5..18446744073709551615 --shard 2/3 --max-wall 1" "$spmc"
check 0 sweep_within_max_events_completes '^sweep default: 2 seeds' -- \
  "$spmc" sweep --seeds 1..2 --max-events 100000000
check 2 sweep_json_says_stopped '"verdict":"stopped"' -- \
  "$spmc" sweep --seeds 1..3 --max-events 1000 --json

# --max-events / --max-wall on sim: verdict STOPPED, exit 2; a run they do not stop is
# byte-identical to one without them.
check 2 sim_max_events_stops_with_verdict 'STOPPED: event limit of 5000 reached after 5000 events' -- \
  "$spmc" sim --max-events 5000
check 2 sim_max_events_json_verdict_stopped '"verdict":"stopped"' -- \
  "$spmc" sim --max-events 5000 --json
"$spmc" sim --seed 7 --trace "$tmp/plain.jsonl" >/dev/null
check 0 limits_that_do_not_stop_keep_the_trace 'PASS' -- \
  "$spmc" sim --seed 7 --max-events 1000000000 --max-wall 3600 --trace "$tmp/limited.jsonl"
cmp -s "$tmp/plain.jsonl" "$tmp/limited.jsonl" && echo "ok   limited_trace_is_byte_identical" ||
  { echo "FAIL limited_trace_is_byte_identical"; failures=$((failures + 1)); }
for bad in -5 12abc '' 0 ' 7' 18446744073709551616 1e3; do
  check 2 "max_events_rejects_'$bad'" "--max-events: invalid value '$bad': .*expected a decimal integer in \[1, 18446744073709551615\]" -- \
    "$spmc" sim --max-events "$bad"
  one_line_error "max_events_rejects_'$bad'"
done
check 2 max_wall_rejects_past_a_year "--max-wall: invalid value '99999999999': is outside \[1, 31622400\]" -- \
  "$spmc" sim --max-wall 99999999999
check 2 max_memory_rejects_negative "--max-memory: invalid value '-1': is negative; expected a decimal integer in \[1, 17592186044416\]" -- \
  "$spmc" sweep --max-memory -1

# Scenario files: devices, FIFOs, directories and oversized files are one-line errors,
# never a hang (the FIFO has no writer: opening it would block for ever).
check 2 scenario_from_dev_zero_refused '^spmc: error: /dev/zero: \(file\): not a regular file \(a character device\)' -- \
  "$spmc" sim /dev/zero
one_line_error scenario_from_dev_zero_refused
check 2 scenario_from_dev_urandom_refused 'not a regular file \(a character device\)' -- \
  "$spmc" sweep /dev/urandom
mkfifo "$tmp/fifo"
check 2 scenario_from_fifo_refused_without_blocking "$tmp/fifo: \(file\): not a regular file \(a FIFO\)" -- \
  "$spmc" sim "$tmp/fifo"
check 2 scenario_from_directory_refused 'not a regular file \(a directory\)' -- "$spmc" sim "$tmp"
head -c 2000000 /dev/zero | tr '\0' ' ' >"$tmp/big.json"
check 2 scenario_over_the_size_limit_refused "big.json: \(file\): larger than the limit of 1048576 bytes" -- \
  "$spmc" sim "$tmp/big.json"
one_line_error scenario_over_the_size_limit_refused
check 2 missing_scenario_named 'nowhere.json: \(file\): cannot be read$' -- \
  "$spmc" sim "$tmp/nowhere.json"

# The other files a user names are bounded the same way: a trace to replay (exit 2, not a
# trace) and the vector files of vectors check (that file fails, exit 1).
check 2 replay_of_dev_zero_refused 'cannot read /dev/zero: \(file\): not a regular file \(a character device\)' -- \
  "$spmc" replay /dev/zero
one_line_error replay_of_dev_zero_refused
check 2 replay_of_fifo_refused_without_blocking "cannot read $tmp/fifo: \\(file\\): not a regular file \\(a FIFO\\)" -- \
  "$spmc" replay "$tmp/fifo"
check 2 replay_of_directory_refused 'not a regular file \(a directory\)' -- "$spmc" replay "$tmp"
mkdir "$tmp/vectors"
cp "$root"/spec/vectors/*.json "$tmp/vectors/"
rm "$tmp/vectors/ratchet.json"
mkfifo "$tmp/vectors/ratchet.json"
check 1 vector_file_that_is_a_fifo_fails_without_blocking 'FAIL ratchet +cannot read .*ratchet.json: \(file\): not a regular file \(a FIFO\)' -- \
  "$spmc" vectors check --dir "$tmp/vectors"

# The estimate: a million phones is refused before anything is built, with the estimate and
# the flag that raises the limit; --estimate prints it and runs nothing.
echo '{"name": "million", "phones": 1000000}' >"$tmp/million.json"
check 2 million_phones_refused_with_estimate \
  'million.json: needs an estimated [0-9.]+ GiB of memory and about .* \(1000000 phones, .*\), above the memory limit of 4.0 GiB; raise it with --max-memory [0-9]+' -- \
  "$spmc" sim "$tmp/million.json"
one_line_error million_phones_refused_with_estimate
check 2 million_phones_estimate_refused_too 'above the memory limit' -- \
  "$spmc" sim "$tmp/million.json" --estimate
check 0 million_phones_accepted_with_max_memory_raised \
  '^estimate: .*million.json: [0-9.]+ GiB of memory and about .*1000000 phones.*\(memory limit 97.7 GiB\)' -- \
  "$spmc" sim "$tmp/million.json" --estimate --max-memory 100000
check 2 million_phones_sweep_refused 'per seed, above the memory limit' -- \
  "$spmc" sweep "$tmp/million.json" --seeds 1..10
echo '{"phones": 100000, "workload": {"groups": {"count": 100000, "size_min": 10000, "size_max": 10000}}}' >"$tmp/groups.json"
check 2 huge_group_count_refused 'needs an estimated [0-9.]+ TiB' -- "$spmc" sim "$tmp/groups.json"
echo '{"phases": {"safety_ms": 2592000000, "liveness_ms": 2592000000}}' >"$tmp/month.json"
check 0 month_long_phases_estimated '^estimate: .*month.json: .* and about [0-9.]+ (min|h|days) .*1.4 M messages' -- \
  "$spmc" sim "$tmp/month.json" --estimate
check 0 small_run_prints_no_estimate 'PASS' -- "$spmc" sim
[[ ! -s "$tmp/err" ]] && echo "ok   small_run_stderr_is_empty" ||
  { echo "FAIL small_run_stderr_is_empty"; cat "$tmp/err"; failures=$((failures + 1)); }

# Honest names: {} is not the built-in default world, and is not reported as "default".
echo '{}' >"$tmp/empty.json"
check 0 empty_scenario_not_reported_as_default '"scenario":"unnamed"' -- \
  "$spmc" sim "$tmp/empty.json" --json
check 0 builtin_default_reported_as_default '"scenario":"default"' -- "$spmc" sim --json

# The docs drift check fails when a generated block differs from the program.
mkdir -p "$tmp/tree/simulator/scenarios"
cp "$root/README.md" "$tmp/tree/README.md"
cp "$root/simulator/scenarios/SCHEMA.md" "$tmp/tree/simulator/scenarios/SCHEMA.md"
check 0 docs_sync_passes_on_the_checked_in_docs 'generated blocks match' -- \
  python3 "$root/tools/docs_sync.py" "$spmc" --root "$tmp/tree"
sed -i 's/| `phones` | `16` |/| `phones` | `17` |/' "$tmp/tree/simulator/scenarios/SCHEMA.md"
check 1 docs_sync_fails_on_a_drifted_default 'the defaults block is not `spmc docs defaults`' -- \
  python3 "$root/tools/docs_sync.py" "$spmc" --root "$tmp/tree"
cp "$root/simulator/scenarios/SCHEMA.md" "$tmp/tree/simulator/scenarios/SCHEMA.md"
sed -i 's/^spmc sim \[SCENARIO\]/spmc sim [SCENARIO] [--frobnicate]/' "$tmp/tree/README.md"
check 1 docs_sync_fails_on_a_drifted_synopsis 'the synopsis block is not `spmc docs synopsis`' -- \
  python3 "$root/tools/docs_sync.py" "$spmc" --root "$tmp/tree"

echo "$passes passed, $failures failed"
[[ $failures -eq 0 ]]
