#!/usr/bin/env bash
# Measures the runner's JVM flags for memory and CPU: P5 (4 pods) and P6 (1000 pods) once per
# variant, shorter idle windows (RF_IDLE s); RF_P6=0 skips P6, RF_ONLY=N runs variant N only. Prints "variant | P5 RSS | P5 CPU | P6 s | P6 RSS | P6 CPU".
set -uo pipefail
source "$(dirname "$0")/lib.sh"
idle=${RF_IDLE:-15}
base="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:MaxRAM=256m"
variants=(
  "current|$base|"
  "+MALLOC_ARENA_MAX=2|$base|MALLOC_ARENA_MAX=2"
  "+small code cache, metaspace, heap|$base -XX:ReservedCodeCacheSize=16m -XX:MaxMetaspaceSize=64m -Xmx48m -XX:CICompilerCount=1 -XX:-UsePerfData|"
  "+compact headers|$base -XX:+UseCompactObjectHeaders|"
  "+Xshare:off|$base -Xshare:off|"
  "+heap shrinks eagerly|$base -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20|"
  "all of the above|$base -XX:ReservedCodeCacheSize=16m -XX:MaxMetaspaceSize=64m -Xmx48m -XX:CICompilerCount=1 -XX:-UsePerfData -XX:+UseCompactObjectHeaders|MALLOC_ARENA_MAX=2"
)
[ -n "${RF_ONLY:-}" ] && variants=("${variants[@]:$RF_ONLY:1}")
echo "variant|P5 RSS MiB|P5 CPU %|P6 start s|P6 RSS MiB|P6 CPU %"
for v in "${variants[@]}"; do
  IFS='|' read -r name opts envs <<<"$v"
  p5=$(RUNNER_JAVA_OPTS="$opts" RUNNER_ENV="$envs" P5_IDLE=$idle P5_SETTLE=12 OUT="$OUT/rf" "$BENCH/p5-idle.sh" 2>/dev/null | cut -d'|' -f2 | paste -sd'|')
  p6="-|-|-"
  [ "${RF_P6:-1}" = 1 ] && p6=$(RUNNER_JAVA_OPTS="$opts" RUNNER_ENV="$envs" P6_IDLE=$idle OUT="$OUT/rf" SKIP_PEER=1 "$BENCH/p6-1000.sh" 2>/dev/null | cut -d'|' -f2 | paste -sd'|')
  echo "$name|$p5|$p6"
done | tee "$OUT/runner-flags.txt"
