#!/usr/bin/env bash
# Issue #26 item 4's ratio: a build after one record changed, onto the
# output and caches of the build before, against a clean build, in pairs
# (clean, changed, clean, changed ...) with the ratio taken pair by pair.
# Both run on copies of SITE in a fresh folder in tmpfs; SITE is not
# touched. Only the builds are timed: the clean build's output and caches
# are removed before it, untimed (removing the 650 MB output of 10,000
# pilots takes about 0.4 s, which a timed removal would add to the clean
# side).
#   scripts/changed.sh BIN SITE [PAIRS]     (PAIRS: 7 by default)
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: scripts/changed.sh BIN SITE [PAIRS]" >&2; exit 2; }
bin=$(realpath "$1") site=$2 pairs=${3:-7}
work=$(mktemp -d "${CHANGED_TMP:-/dev/shm}/pilotdeck-changed.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -r "$site" "$work/clean"
cp -r "$site" "$work/changed"
rm -rf "$work/clean/.pilotdeck" "$work/changed/.pilotdeck"
records=("$work/changed/content/pilots/"*.md)
record=${records[0]}
[ -f "$record" ] || { echo "no record under $site/content/pilots" >&2; exit 2; }
build() { "$bin" --root "$1" build --output "$2" --as-of 2026-11-20 >/dev/null 2>&1; }
# The output and caches the first changed build goes onto.
build "$work/changed" "$work/changed-out"
printf '%-5s %8s %8s %7s %9s %9s\n' pair clean_s changed_s ratio clean_mib changed_mib
for n in $(seq "$pairs"); do
  rm -rf "$work/clean-out" "$work/clean/.pilotdeck"
  /usr/bin/time -f '%e %M' -o "$work/time.clean" "$bin" --root "$work/clean" build --output "$work/clean-out" \
    --as-of 2026-11-20 >/dev/null 2>&1
  # One record changed: a line added to its body, taken away the next time.
  if grep -q '^Changed for the benchmark' "$record"; then
    sed -i '/^Changed for the benchmark/d' "$record"
  else
    echo 'Changed for the benchmark' >>"$record"
  fi
  /usr/bin/time -f '%e %M' -o "$work/time.changed" "$bin" --root "$work/changed" build \
    --output "$work/changed-out" --as-of 2026-11-20 >/dev/null 2>&1
  read -r cw cm <"$work/time.clean"
  read -r xw xm <"$work/time.changed"
  printf '%-5s %8s %8s %7.3f %9d %9d\n' "$n" "$cw" "$xw" "$(echo "$xw / $cw" | bc -l)" $((cm / 1024)) $((xm / 1024))
done | tee "$work/pairs"
sort -k4 -n "$work/pairs" | awk '{ r[NR] = $4 } END { printf "ratio median %.3f (%.3f-%.3f, %d pairs)\n", r[int((NR + 1) / 2)], r[1], r[NR], NR }'
