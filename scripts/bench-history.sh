#!/usr/bin/env bash
# Times builds of generated git repositories (#24): for each PILOTS:COMMITS
# pair, a first build with history (no cache), a build after one new
# commit (the cache as the build before left it), and a build of the same
# records with `history = false`; prints wall time and peak RSS of each.
# Output goes to tmpfs. Needs the `git` program (the generator uses it).
#   scripts/bench-history.sh [PILOTS:COMMITS...]   (default: 1000:2000 10000:5000)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin pilotdeck --example generate
bin=$PWD/target/release/pilotdeck
shm=${BENCH_SHM:-/dev/shm/pilotdeck-history-bench}
pairs=("$@")
[ ${#pairs[@]} -gt 0 ] || pairs=(1000:2000 10000:5000)
mkdir -p "$shm"
timed() { # LABEL SITE  -> one row
  /usr/bin/time -f '%e %M' -o "$shm/time" "$bin" --root "$2" build --as-of 2026-11-20 --output "$shm/out" >/dev/null 2>&1
  read -r wall rss < "$shm/time"
  printf '%-8s %-8s %-14s %8s %12d\n' "$pilots" "$commits" "$1" "$wall" $((rss / 1024))
}
printf '%-8s %-8s %-14s %8s %12s\n' pilots commits build wall_s peak_rss_mb
for pair in "${pairs[@]}"; do
  pilots=${pair%%:*}; commits=${pair##*:}
  site="$shm/site-$pilots-$commits"
  rm -rf "$site" "$shm/out"
  target/release/examples/generate "$site" "$pilots" 42 --git "$commits" 52 >/dev/null 2>&1
  timed first "$site"
  # One new commit, read onto the cache the first build left.
  printf '\nEdited.\n' >> "$site/content/pilots/pilot-00001.md"
  GIT_AUTHOR_DATE=2026-11-19T10:00:00Z GIT_COMMITTER_DATE=2026-11-19T10:00:00Z \
    git -C "$site" -c user.name=Bench -c user.email=bench@example.org commit -qam "One more change"
  timed after-commit "$site"
  # The same records without history.
  printf 'history = false\n' >> "$site/pilotdeck.toml"
  timed no-history "$site"
  rm -rf "$site" "$shm/out"
done
rm -f "$shm/time"
rmdir "$shm" 2>/dev/null || true
