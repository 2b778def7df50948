#!/usr/bin/env bash
# P3: crash -> restarted latency, host-process runtime, vs supervisord.
# kubeboot: P3_KILLS sleep pods; each pod's container is killed once with kill -9 (the kubelet
# restarts a container's first crash at once and then backs off 10 s, 20 s, ..., so one kill per
# container measures the restart path, not the backoff). Latency = kill -9 -> a new pid file for
# the same container whose process has exec'd sleep (read from /proc/<pid>/cmdline and stat),
# polled every 1 ms by one Java process (bench/tools/Bench.java): resolution about 1 ms.
# supervisord: one program (autorestart=true, startsecs=0), killed P3_PEER_KILLS times; latency =
# kill -9 -> a new child of supervisord running sleep, same 1 ms polling.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
kills=${P3_KILLS:-200}
peer_kills=${P3_PEER_KILLS:-60}
pods=$((kills + 10))
d="$OUT/p3"; rm -rf "$d"; mkdir -p "$d/manifests"
for i in $(seq 1 "$pods"); do sleep_pod "p3-$i" "$((300000 + i))" > "$d/manifests/p3-$i.yaml"; done
start_runner "$d" 18103
trap 'stop_runner_and_pods "$d"' EXIT
tool wait-running http://127.0.0.1:18103/pods "$pods" "$(now_ms)" 120 >/dev/null
sleep 2
tool restart-kubeboot "$d/state/containers" "$kills" "$d/kubeboot.txt"
read -r n p50 p90 p99 max min bad < <(tool stats "$d/kubeboot.txt")
stop_runner_and_pods "$d"; trap - EXIT

# supervisord peer
s="$d/supervisord"; mkdir -p "$s"
cat > "$s/supervisord.conf" <<C
[supervisord]
nodaemon=true
logfile=$s/supervisord.log
pidfile=$s/supervisord.pid
[program:sl]
command=/usr/bin/sleep 313131
autorestart=true
startsecs=0
startretries=1000000
C
setsid supervisord -c "$s/supervisord.conf" >/dev/null 2>&1 &
sv=$!
trap 'kill $sv 2>/dev/null; pkill -9 -P $sv 2>/dev/null || true' EXIT
sleep 2
tool restart-supervisord "$sv" 313131 "$peer_kills" "$s/supervisord.txt"
read -r sn sp50 sp90 sp99 smax smin sbad < <(tool stats "$s/supervisord.txt")
kill "$sv"; wait "$sv" 2>/dev/null || true; trap - EXIT
echo "P3 kubeboot n=$n p50=$p50 p90=$p90 p99=$p99 max=$max min=$min timeouts=$bad; supervisord n=$sn p50=$sp50 p99=$sp99 max=$smax timeouts=$sbad" >&2
row "P3 crash->restarted p50 (ms, n=$n vs $sn)" "$p50" "$sp50" "$(ratio "$p50" "$sp50")" "<= 20" "$(le "$p50" 20)"
row "P3 crash->restarted p99 (ms)" "$p99" "$sp99" "$(ratio "$p99" "$sp99")" "<= 100" "$(le "$p99" 100)"
