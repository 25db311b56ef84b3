#!/usr/bin/env bash
# Times two pilotdeck binaries on one site, alternating A B B A A B ..., into tmpfs
# (output and record cache removed before each run: clean builds), and prints for each the median and the
# fastest wall time, CPU time (user + system) and the largest peak RSS.
# On a machine whose speed drifts, only runs side by side compare; the
# order within a pair alternates, since the second run of a pair was seen
# to be slower (A/B 1.09 in A B order, 1.00 with A and B swapped).
#   scripts/ab.sh BIN_A BIN_B SITE [RUNS]     (RUNS: 8 by default)
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: scripts/ab.sh BIN_A BIN_B SITE [RUNS]" >&2; exit 2; }
a=$1 b=$2 site=$3 runs=${4:-8}
out=${AB_OUT:-/dev/shm/pilotdeck-ab}
times=$(mktemp)
trap 'rm -rf "$out" "$times" "$times.run"' EXIT
for n in $(seq "$runs"); do
  order="A B"
  [ $((n % 2)) = 0 ] && order="B A"
  for side in $order; do
    bin=$a
    [ "$side" = B ] && bin=$b
    rm -rf "$out" "$site/.pilotdeck/records.bin" "$site/.pilotdeck/records.changes.bin" \
      "$site/.pilotdeck/pages.bin" "$site/.pilotdeck/search.bin"
    /usr/bin/time -f "$side %e %U %S %M" -o "$times.run" "$bin" --root "$site" build --output "$out" >/dev/null 2>&1
    cat "$times.run" >> "$times"
  done
done
# Median of the numbers on standard input (one a line).
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for side in A B; do
  rows=$(grep "^$side " "$times")
  wall=$(awk '{ print $2 }' <<<"$rows")
  cpu=$(awk '{ print $3 + $4 }' <<<"$rows")
  printf '%s  runs %d  wall median %.2f s, fastest %.2f s  cpu median %.2f s, least %.2f s  peak RSS %d MiB\n' \
    "$side" "$(wc -l <<<"$rows")" "$(median <<<"$wall")" "$(sort -n <<<"$wall" | head -1)" \
    "$(median <<<"$cpu")" "$(sort -n <<<"$cpu" | head -1)" "$(($(awk '{ print $5 }' <<<"$rows" | sort -n | tail -1) / 1024))"
done
