#!/usr/bin/env bash
# Runs every benchmark (P1..P6, P3e: P3 on the Docker and CRI runtimes, P8: pods with their own
# network) beside its peer and prints
# one table.
# usage: bench/run-all.sh [p1 p2 ...]     (default: all)
# JAR=... to measure another jar; OUT=... for raw data (default /tmp/kubeboot-bench);
# per-benchmark knobs (run counts, idle windows) are documented at the top of each script.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
which=("$@"); [ ${#which[@]} -gt 0 ] || which=(p1 p2 p3 p3e p4 p5 p6 p8)
rows="$OUT/rows.txt"; : > "$rows"
{
  echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -r), $("$JAVA" -version 2>&1 | head -1)"
  echo "jar: $JAR ($(stat -c %y "$JAR" | cut -d. -f1))"
  echo "start: $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/machine.txt" >&2
for b in "${which[@]}"; do
  script=$(ls "$BENCH/$b"-*.sh)
  echo "== $b ($(basename "$script")) load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  if ! "$script" >> "$rows"; then
    echo "$b|failed (see stderr)|-|-|-|MISSED" >> "$rows"
  fi
done
echo "end: $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt" >&2
{
  echo "metric|kubeboot|peer|ratio|target|met?"
  cat "$rows"
} | column -t -s '|' | tee "$OUT/table.txt"
