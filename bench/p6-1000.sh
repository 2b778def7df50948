#!/usr/bin/env bash
# P6: 1000 sleep pods: runner start -> all Running (polling /pods every 100 ms from one Java
# process: at 1000 pods each answer is ~1.5 MB of JSON, and polling it every 10 ms made the poller
# and the runner's HTTP server compete with the pods' start-up for the 2 cores; the clock starts
# just before the runner's JVM is launched), RSS (VmRSS) and idle CPU
# over P6_IDLE s once all run; vs supervisord with 1000 programs: start -> 1000 children of
# supervisord (counted from /proc/<pid>/task/*/children every 20 ms), RSS, idle CPU.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
n=${P6_PODS:-1000}
idle=${P6_IDLE:-30}
port=18106
d="$OUT/p6"; rm -rf "$d"; mkdir -p "$d/manifests"
for i in $(seq 1 "$n"); do sleep_pod "p6-$i" "$((500000 + i))" > "$d/manifests/p6-$i.yaml"; done
t0=$(now_ms)
start_runner "$d" "$port"
trap 'stop_runner_and_pods "$d"' EXIT
ms=$(tool wait-running "http://127.0.0.1:$port/pods" "$n" "$t0" 120 100)
sleep 5
read -r rss cpu < <(idle_stats "$RUNNER_PID" "$idle")
threads=$(ls "/proc/$RUNNER_PID/task" | wc -l)
fds=$(ls "/proc/$RUNNER_PID/fd" | wc -l)
stop_runner_and_pods "$d"; trap - EXIT
secs=$(awk -v m="$ms" 'BEGIN{printf "%.2f", m/1000}')

if [ -n "${SKIP_PEER:-}" ]; then
  srss=-; scpu=-; ssecs=-
else
s="$d/supervisord"; mkdir -p "$s"
{
  printf '[supervisord]\nnodaemon=true\nminfds=4096\nlogfile=%s/supervisord.log\npidfile=%s/supervisord.pid\n' "$s" "$s"
  for i in $(seq 1 "$n"); do printf '[program:p%s]\ncommand=/usr/bin/sleep %s\nautorestart=true\nstartsecs=0\nstdout_logfile=NONE\nstderr_logfile=NONE\n' "$i" "$((600000 + i))"; done
} > "$s/supervisord.conf"
ulimit -n 8192 || true
st0=$(now_ms)
setsid supervisord -c "$s/supervisord.conf" >/dev/null 2>&1 &
sv=$!
trap 'kill $sv 2>/dev/null || true' EXIT
ssecs=timeout
for i in $(seq 1 6000); do
  c=$(cat /proc/$sv/task/*/children 2>/dev/null | wc -w)
  if [ "$c" -ge "$n" ]; then ssecs=$(awk -v a="$st0" -v b="$(now_ms)" 'BEGIN{printf "%.2f", (b-a)/1000}'); break; fi
  sleep 0.02
done
sleep 5
read -r srss scpu < <(idle_stats "$sv" "$idle")
kill "$sv"; wait "$sv" 2>/dev/null || true; trap - EXIT
fi
echo "P6 runner: $n pods Running after ${secs}s, RSS ${rss} MiB, CPU ${cpu}%, threads $threads, fds $fds; supervisord: ${ssecs}s RSS ${srss} MiB CPU ${scpu}% (idle window ${idle}s, runner flags: $RUNNER_JAVA_OPTS)" >&2
row "P6 $n pods: start->all Running (s)" "$secs" "$ssecs" "$(ratio "$secs" "$ssecs")" "<= 2.5" "$(le "$secs" 2.5)"
row "P6 $n pods: RSS (MiB)" "$rss" "$srss" "$(ratio "$rss" "$srss")" "<= 128" "$(le "$rss" 128)"
row "P6 $n pods: idle CPU (% of a core, ${idle}s)" "$cpu" "$scpu" "$(ratio "$cpu" "$scpu")" "<= 0.5" "$(le "$cpu" 0.5)"
