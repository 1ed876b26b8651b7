#!/usr/bin/env bash
# Instructions per message of each receive-path step (valgrind's guest instruction count),
# for one or more builds of spmc_receive_count:
#   bench/instructions_per_message.sh BIN [BIN...]      (N=20000 by default)
# A count is (instructions of MODE N) - (instructions of none N), over N.
set -euo pipefail
n="${N:-20000}"
command -v valgrind >/dev/null || { echo "instructions_per_message: needs valgrind" >&2; exit 2; }
count() {
  valgrind --tool=lackey --basic-counts=yes "$@" 2>&1 >/dev/null |
    awk '/guest instrs:/ { gsub(",", "", $NF); print $NF }'
}
i=0
for bin in "$@"; do i=$((i + 1)); echo "[$i] $bin"; done
printf '%-8s' mode
for ((j = 1; j <= $#; j++)); do printf ' %12s' "[$j]"; done
printf '\n'
declare -A base
for bin in "$@"; do base[$bin]="$(count "$bin" none "$n")"; done
for mode in decode header payload open prepare receive; do
  printf '%-8s' "$mode"
  for bin in "$@"; do
    total="$(count "$bin" "$mode" "$n")"
    printf ' %12d' $(((total - base[$bin]) / n))
  done
  printf '\n'
done
