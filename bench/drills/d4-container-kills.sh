#!/usr/bin/env bash
# Drill D4: D4_KILLS random container kills (kill -9) over D4_KILLS/2 sleep pods, each container
# killed twice: the first kill must be followed by a new process within 2 s (the kubelet restarts
# a first crash at once), the second by a new process 9-13 s later (its 10 s backoff; 3 s allowed
# for detection and start on a loaded 2-core machine). Afterwards: exactly one process per pod,
# no zombies, and the runner's threads (/proc/<pid>/task) and fds (/proc/<pid>/fd) back to within
# D4_SLACK of their count before the kills (the JDK's process-reaper threads idle out after 60 s,
# so "after" is taken 62 s after the last kill, once the count has been steady for 10 s).
set -uo pipefail
source "$(dirname "$0")/../lib.sh"
kills=${D4_KILLS:-1000}; pods=$(( (kills + 1) / 2 )); slack=${D4_SLACK:-5}
port=18124
d="$OUT/d4"; rm -rf "$d"; mkdir -p "$d/manifests"
for i in $(seq 1 "$pods"); do sleep_pod "d4-$i" "$((900000 + i))" > "$d/manifests/d4-$i.yaml"; done
start_runner "$d" "$port"
trap 'stop_runner_and_pods "$d"' EXIT
tool wait-running "http://127.0.0.1:$port/pods" "$pods" "$(now_ms)" 180 >/dev/null || { echo "FAIL pods never ran"; exit 1; }
settle() { # waits until threads+fds stop falling for 10 s (max 90 s); prints "threads fds"
  local last=-1 same=0 i t f
  for i in $(seq 1 90); do
    t=$(ls "/proc/$RUNNER_PID/task" | wc -l); f=$(ls "/proc/$RUNNER_PID/fd" | wc -l)
    if [ $((t + f)) -eq "$last" ]; then same=$((same + 1)); else same=0; fi
    last=$((t + f)); [ $same -ge 10 ] && break
    sleep 1
  done
  echo "$t $f"
}
read -r t0 f0 < <(settle)
fail=0
tool kill-drill "$d/state/containers" "$kills" "$d/kills.txt" || fail=1
grep FAIL "$d/kills.txt" | head -20
sleep "${D4_REAPER_WAIT:-62}"   # the JDK's process-reaper pool keeps idle threads 60 s
read -r t1 f1 < <(settle)
procs=$(for p in $(pgrep -x sleep); do { tr '\0' ' ' < "/proc/$p/cmdline"; } 2>/dev/null | awk '{print $2}'; done | grep -c '^9[0-9][0-9][0-9][0-9][0-9]$')
dups=$(for p in $(pgrep -x sleep); do { tr '\0' ' ' < "/proc/$p/cmdline"; } 2>/dev/null | awk '{print $2}'; done | grep '^9[0-9][0-9][0-9][0-9][0-9]$' | sort | uniq -d | wc -l)
zombies=$(ps -o stat= --ppid "$RUNNER_PID" | grep -c Z)
[ "$procs" -eq "$pods" ] || { echo "FAIL $procs pod processes for $pods pods"; fail=1; }
[ "$dups" -eq 0 ] || { echo "FAIL $dups pods run twice"; fail=1; }
[ "$zombies" -eq 0 ] || { echo "FAIL $zombies zombie children of the runner"; fail=1; }
[ "$t1" -le $((t0 + slack)) ] || { echo "FAIL runner threads $t0 -> $t1"; fail=1; }
[ "$f1" -le $((f0 + slack)) ] || { echo "FAIL runner fds $f0 -> $f1"; fail=1; }
first=$(grep -c '^ok first' "$d/kills.txt"); second=$(grep -c '^ok second' "$d/kills.txt")
p50=$(grep '^ok first' "$d/kills.txt" | awk '{print $4}' | median)
echo "D4 container kills: $(grep -c . "$d/kills.txt") kills over $pods pods ($first first kills restarted at once, p50 ${p50} ms; $second second kills restarted after the 10 s backoff); processes $procs for $pods pods, duplicates $dups, zombies $zombies; runner threads $t0 -> $t1, fds $f0 -> $f1; failures: $(grep -c FAIL "$d/kills.txt") kill(s), overall $fail"
[ $fail -eq 0 ]
