#!/usr/bin/env bash
# Times whole builds of generated sites of 1,000 and 10,000 pilots, into
# tmpfs (the generator's own work) and onto disk with the output and the
# record cache removed first (clean builds: what a user waits for after a
# fresh clone), then, into tmpfs, a build after one record changed onto
# the output and record cache of the build before (`changed`), and prints
# wall time and peak RSS, then the stage times of the 10,000-pilot build
# (PILOTDECK_TIMINGS=1).
#
# The sites have the shapes real sites have (`examples/generate`'s default
# mix: a third of the records in YAML, titled names, long bodies with
# tables and code, crowded records, pages without front matter).
# BENCH_PLAIN=1 times the plain site older figures were measured on;
# BENCH_YAML_SHARE=X sets the share of YAML records (0: the same site in
# TOML only).
#
# When a Zola binary is at hand (ZOLA=/path/to/zola, or `zola` on PATH),
# 10,000 plain Zola pages (the bodies of the 10,000 records, each with a
# title) are built in the same run, A B A B with the 10,000-pilot site
# into tmpfs, BENCH_PAIRS pairs (default 7), and the ratio pilotdeck / Zola
# printed pair by pair and as the median.
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
mix=(); kind=mix
if [ -n "${BENCH_PLAIN:-}" ]; then mix=(--plain); kind=plain; fi
if [ -n "${BENCH_YAML_SHARE:-}" ]; then mix+=(--yaml-share "$BENCH_YAML_SHARE"); kind="$kind-yaml$BENCH_YAML_SHARE"; fi
site_of() { echo "$work/site-$1-$kind"; }
printf '%-8s %-6s %10s %12s\n' pilots target wall_s peak_rss_mb
for n in "${sizes[@]}"; do
  site=$(site_of "$n")
  [ -d "$site/content" ] || target/release/examples/generate "$site" "$n" 42 "${mix[@]}" >/dev/null 2>&1
  for target in tmpfs disk; do
    if [ "$target" = tmpfs ]; then out="$shm-$n"; else out="$work/out-$n"; fi
    rm -rf "$out" "$site/.pilotdeck/records.bin" "$site/.pilotdeck/pages.bin" "$site/.pilotdeck/search.bin"
    /usr/bin/time -f '%e %M' -o "$work/time" "$bin" --root "$site" build --output "$out" >/dev/null 2>&1
    read -r wall rss < "$work/time"
    printf '%-8s %-6s %10s %12d\n' "$n" "$target" "$wall" $((rss / 1024))
  done
  # One record changed (a line added to its body, taken away after), onto
  # the tmpfs output and the record cache the disk build left.
  "$bin" --root "$site" build --output "$shm-$n" >/dev/null 2>&1
  record=$(find "$site/content/pilots" -name '*.md' | sort | sed -n 1p)
  cp "$record" "$work/record.md"
  printf '\nOne more line for the benchmark.\n' >> "$record"
  /usr/bin/time -f '%e %M' -o "$work/time" "$bin" --root "$site" build --output "$shm-$n" >/dev/null 2>&1
  cp "$work/record.md" "$record"
  read -r wall rss < "$work/time"
  printf '%-8s %-6s %10s %12d\n' "$n" changed "$wall" $((rss / 1024))
  rm -rf "$shm-$n"
done

# Stage times of the 10,000-pilot build, into tmpfs.
big=$(site_of 10000)
[ -d "$big/content" ] || target/release/examples/generate "$big" 10000 42 "${mix[@]}" >/dev/null 2>&1
echo "stage times, 10000 pilots into tmpfs:"
rm -rf "$shm-10000" "$big/.pilotdeck/records.bin" "$big/.pilotdeck/pages.bin" "$big/.pilotdeck/search.bin"
PILOTDECK_TIMINGS=1 "$bin" --root "$big" build --output "$shm-10000" 2>&1 >/dev/null | grep '^timing:' | sed 's/^/  /'
rm -rf "$shm-10000"

# Zola, in the same run, when there is one.
zola=${ZOLA:-$(command -v zola || true)}
if [ -z "$zola" ] || [ ! -x "$zola" ]; then
  echo "no Zola binary (set ZOLA=/path/to/zola): Zola not timed"
  exit 0
fi
zsite="$work/zola-10000"
if [ ! -d "$zsite/content/pages" ]; then
  mkdir -p "$zsite/content/pages" "$zsite/templates"
  printf 'base_url = "https://example.com"\ntitle = "Zola bench"\ncompile_sass = false\nbuild_search_index = false\n' > "$zsite/config.toml"
  printf '+++\ntitle = "Pages"\n+++\n' > "$zsite/content/pages/_index.md"
  printf '<!doctype html><title>{{ config.title }}</title><h1>{{ config.title }}</h1>\n' > "$zsite/templates/index.html"
  printf '<!doctype html><title>{{ section.title }}</title><ul>{%% for p in section.pages %%}<li><a href="{{ p.permalink }}">{{ p.title }}</a></li>{%% endfor %%}</ul>\n' > "$zsite/templates/section.html"
  printf '<!doctype html><title>{{ page.title }}</title><h1>{{ page.title }}</h1>{{ page.content | safe }}\n' > "$zsite/templates/page.html"
  # Each record's body (after its front matter) as a plain page.
  awk -v dir="$zsite/content/pages" '
    FNR == 1 { if (out) close(out); n++; out = sprintf("%s/page-%05d.md", dir, n); fences = 0
               printf "+++\ntitle = \"Page %d\"\n+++\n", n > out; fence = $0; next }
    fences == 0 { if ($0 == fence) fences = 1; next }
    { print > out }' "$big"/content/pilots/*.md
fi
pairs=${BENCH_PAIRS:-7}
times=$(mktemp)
trap 'rm -f "$times" "$times.run"; rm -rf "$shm-10000" "$shm-zola"' EXIT
for i in $(seq "$pairs"); do
  rm -rf "$shm-10000" "$big/.pilotdeck/records.bin" "$big/.pilotdeck/pages.bin" "$big/.pilotdeck/search.bin"
  /usr/bin/time -f '%e %M' -o "$times.run" "$bin" --root "$big" build --output "$shm-10000" >/dev/null 2>&1
  read -r pw prss < "$times.run"
  rm -rf "$shm-zola"
  /usr/bin/time -f '%e %M' -o "$times.run" "$zola" --root "$zsite" build --output-dir "$shm-zola" --force >/dev/null 2>&1
  read -r zw zrss < "$times.run"
  echo "$i $pw $prss $zw $zrss" >> "$times"
  awk -v p="$pw" -v z="$zw" -v i="$i" 'BEGIN { printf "pair %d: pilotdeck %.2f s, zola %.2f s, ratio %.2f\n", i, p, z, p / z }'
done
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf 'pilotdeck 10000 (%s) median %s s, peak %d MiB; zola 10000 plain pages median %s s, peak %d MiB; ratio median %s\n' \
  "$kind" "$(awk '{ print $2 }' "$times" | median)" $(($(awk '{ print $3 }' "$times" | sort -n | tail -1) / 1024)) \
  "$(awk '{ print $4 }' "$times" | median)" $(($(awk '{ print $5 }' "$times" | sort -n | tail -1) / 1024)) \
  "$(awk '{ printf "%.3f\n", $2 / $4 }' "$times" | median)"
