#!/usr/bin/env bash
# Times whole builds of generated sites of 1,000 and 10,000 pilots, into
# tmpfs (the generator's own work) and onto disk with the output removed
# first (what a user waits for), and prints wall time and peak RSS.
#   scripts/bench.sh [PILOTS...]      (default: 1000 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin pilotdeck --example generate
bin=target/release/pilotdeck
work=${BENCH_DIR:-target/bench}
shm=${BENCH_SHM:-/dev/shm/pilotdeck-bench}
mkdir -p "$work"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
printf '%-8s %-6s %10s %12s\n' pilots target wall_s peak_rss_mb
for n in "${sizes[@]}"; do
  site="$work/site-$n"
  [ -d "$site/content" ] || target/release/examples/generate "$site" "$n" 42 >/dev/null 2>&1
  for target in tmpfs disk; do
    if [ "$target" = tmpfs ]; then out="$shm-$n"; else out="$work/out-$n"; fi
    rm -rf "$out"
    /usr/bin/time -f '%e %M' -o "$work/time" "$bin" --root "$site" build --output "$out" >/dev/null 2>&1
    read -r wall rss < "$work/time"
    printf '%-8s %-6s %10s %12d\n' "$n" "$target" "$wall" $((rss / 1024))
  done
  rm -rf "$shm-$n"
done
