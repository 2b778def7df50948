#!/usr/bin/env bash
# Drill D4: D4_KILLS random container kills (kill -9) over D4_KILLS/2 sleep pods, each container
# killed twice: the first kill must be followed by a new process within 2 s (the kubelet restarts
# a first crash at once), the second by a new process 9-13 s later (its 10 s backoff; 3 s allowed
# for detection and start on a loaded 2-core machine). Afterwards: exactly one process per pod,
# no zombies, the runner's fds (/proc/<pid>/fd) and its threads other than the JDK's process
# reapers (/proc/<pid>/task/*/comm) back to within D4_SLACK of their count before the kills, and
# its reaper threads bounded by the live children (+10 %), not by the kills: the JDK keeps one
# reaper per child and idles a freed one out after 60 s. D4_REAPER_WAIT=62 also waits those out
# and then holds every thread to D4_SLACK (a minute longer).
set -uo pipefail
source "$(dirname "$0")/../lib.sh"
kills=${D4_KILLS:-1000}; pods=$(( (kills + 1) / 2 )); slack=${D4_SLACK:-5}
port=18124
d="$OUT/d4"; rm -rf "$d"; mkdir -p "$d/manifests"
for i in $(seq 1 "$pods"); do sleep_pod "d4-$i" "$((900000 + i))" > "$d/manifests/d4-$i.yaml"; done
start_runner "$d" "$port"
trap 'stop_runner_and_pods "$d"' EXIT
tool wait-running "http://127.0.0.1:$port/pods" "$pods" "$(now_ms)" 180 >/dev/null || { echo "FAIL pods never ran"; exit 1; }
counts() { # prints "reaper-threads other-threads fds" of the runner
  local r=0 o=0 c
  for c in /proc/"$RUNNER_PID"/task/*/comm; do
    # the JDK names them "process reaper (pid N)"; comm keeps 15 characters
    case "$(cat "$c" 2>/dev/null)" in "process reaper"*) r=$((r + 1)) ;; *) o=$((o + 1)) ;; esac
  done
  echo "$r $o $(ls "/proc/$RUNNER_PID/fd" | wc -l)"
}
settle() { # waits until the counts stop changing for 3 s (max 60 s); prints them
  local last="" same=0 i now
  for i in $(seq 1 60); do
    now=$(counts)
    if [ "$now" = "$last" ]; then same=$((same + 1)); else same=0; fi
    last=$now; [ $same -ge 3 ] && break
    sleep 1
  done
  echo "$now"
}
read -r r0 t0 f0 < <(settle)
fail=0
tool kill-drill "$d/state/containers" "$kills" "$d/kills.txt" || fail=1
grep FAIL "$d/kills.txt" | head -20
sleep "${D4_REAPER_WAIT:-0}"
read -r r1 t1 f1 < <(settle)
procs=$(for p in $(pgrep -x sleep); do { tr '\0' ' ' < "/proc/$p/cmdline"; } 2>/dev/null | awk '{print $2}'; done | grep -c '^9[0-9][0-9][0-9][0-9][0-9]$')
dups=$(for p in $(pgrep -x sleep); do { tr '\0' ' ' < "/proc/$p/cmdline"; } 2>/dev/null | awk '{print $2}'; done | grep '^9[0-9][0-9][0-9][0-9][0-9]$' | sort | uniq -d | wc -l)
zombies=$(ps -o stat= --ppid "$RUNNER_PID" | grep -c Z)
[ "$procs" -eq "$pods" ] || { echo "FAIL $procs pod processes for $pods pods"; fail=1; }
[ "$dups" -eq 0 ] || { echo "FAIL $dups pods run twice"; fail=1; }
[ "$zombies" -eq 0 ] || { echo "FAIL $zombies zombie children of the runner"; fail=1; }
[ "$t1" -le $((t0 + slack)) ] || { echo "FAIL runner threads (other than reapers) $t0 -> $t1"; fail=1; }
if [ "${D4_REAPER_WAIT:-0}" -ge 61 ]; then
  [ "$r1" -le $((r0 + slack)) ] || { echo "FAIL runner reaper threads $r0 -> $r1 after the idle timeout"; fail=1; }
else
  [ "$r1" -le $((procs + procs / 10 + slack)) ] || { echo "FAIL $r1 reaper threads for $procs live children"; fail=1; }
fi
[ "$f1" -le $((f0 + slack)) ] || { echo "FAIL runner fds $f0 -> $f1"; fail=1; }
first=$(grep -c '^ok first' "$d/kills.txt"); second=$(grep -c '^ok second' "$d/kills.txt")
p50=$(grep '^ok first' "$d/kills.txt" | awk '{print $4}' | median)
echo "D4 container kills: $(grep -c . "$d/kills.txt") kills over $pods pods ($first first kills restarted at once, p50 ${p50} ms; $second second kills restarted after the 10 s backoff); processes $procs for $pods pods, duplicates $dups, zombies $zombies; runner threads other than reapers $t0 -> $t1, reapers $r0 -> $r1, fds $f0 -> $f1; failures: $(grep -c FAIL "$d/kills.txt") kill(s), overall $fail"
[ $fail -eq 0 ]
