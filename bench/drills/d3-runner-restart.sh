#!/usr/bin/env bash
# Drill D3: runner kill -9 and restart D3_ROUNDS times with D3_PODS sleep pods running. After each
# restart (runner answering /pods with every pod Running, then 1 s more): every pod still runs in
# the process it had before the first kill (same pid), and exactly one process runs each pod's
# command line (no duplicate started next to an adopted one).
set -uo pipefail
source "$(dirname "$0")/../lib.sh"
rounds=${D3_ROUNDS:-20}; pods=${D3_PODS:-10}
port=18123
d="$OUT/d3"; rm -rf "$d"; mkdir -p "$d/manifests"
for i in $(seq 1 "$pods"); do sleep_pod "d3-$i" "$((810000 + i))" > "$d/manifests/d3-$i.yaml"; done
start_runner "$d" "$port"
trap 'stop_runner_and_pods "$d"' EXIT
tool wait-running "http://127.0.0.1:$port/pods" "$pods" "$(now_ms)" 60 >/dev/null || { echo "FAIL pods never ran"; exit 1; }
sleep 1
snapshot() { # "arg pid" per sleep process of this drill, sorted
  local p
  for p in $(pgrep -x sleep); do
    a=$({ tr "\0" " " < "/proc/$p/cmdline"; } 2>/dev/null | awk "{print \$2}")
    case "$a" in 81[0-9][0-9][0-9][0-9]) echo "$a $p" ;; esac
  done | sort
}
before=$(snapshot)
[ "$(wc -l <<<"$before")" -eq "$pods" ] || { echo "FAIL expected $pods pod processes, found: $before"; exit 1; }
fail=0; total_ms=0
for r in $(seq 1 "$rounds"); do
  kill -9 "$RUNNER_PID"; while kill -0 "$RUNNER_PID" 2>/dev/null; do sleep 0.01; done
  t0=$(now_ms)
  start_runner "$d" "$port"
  ms=$(tool wait-running "http://127.0.0.1:$port/pods" "$pods" "$t0" 60) || { echo "FAIL round $r: pods not Running after restart"; fail=1; continue; }
  total_ms=$((total_ms + ms))
  sleep 1
  now=$(snapshot)
  if [ "$now" != "$before" ]; then
    fail=1
    echo "FAIL round $r: pod processes changed"; diff <(echo "$before") <(echo "$now") | head
    dups=$(awk '{print $1}' <<<"$now" | sort | uniq -d | wc -l)
    echo "  duplicates: $dups"
    before=$now
  else
    echo "ok round $r: runner restarted, all $pods pods Running after ${ms} ms, same $pods pids, no duplicates"
  fi
done
restarts=$(curl -s "http://127.0.0.1:$port/pods" | grep -o '"restartCount" : [0-9]*' | awk '{s+=$3} END{print s+0}')
echo "D3 runner kill -9 + restart: $rounds rounds, $pods pods; mean restart -> all Running $((total_ms / rounds)) ms; restartCount sum $restarts; failures $fail"
[ $fail -eq 0 ]
