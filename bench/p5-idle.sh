#!/usr/bin/env bash
# P5: runner idle with four control-plane-like pods, vs supervisord with four programs.
# Stand-ins: four `sleep` pods named and probed like kubeadm's (liveness and startup every 10 s,
# the apiserver stand-in also readiness every 1 s, as kubeadm renders them), all probing the
# runner's own /healthz (no real etcd/apiserver exists here). RSS = VmRSS of the runner process
# after P5_SETTLE s; CPU = utime+stime of the runner (all threads) over P5_IDLE s of idling, as
# % of one core. supervisord: same measurement of the supervisord process.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
idle=${P5_IDLE:-30}
settle=${P5_SETTLE:-10}
port=18105
d="$OUT/p5"; rm -rf "$d"; mkdir -p "$d/manifests"
for c in etcd kube-apiserver kube-controller-manager kube-scheduler; do
  {
    cat <<M
apiVersion: v1
kind: Pod
metadata:
  name: $c
  namespace: kube-system
spec:
  hostNetwork: true
  containers:
  - name: $c
    image: registry.k8s.io/$c:v1.34.2
    command: ["sleep", "400000"]
    livenessProbe:
      httpGet: {host: 127.0.0.1, path: /healthz, port: $port, scheme: HTTP}
      initialDelaySeconds: 10
      periodSeconds: 10
      timeoutSeconds: 15
      failureThreshold: 8
    startupProbe:
      httpGet: {host: 127.0.0.1, path: /healthz, port: $port, scheme: HTTP}
      initialDelaySeconds: 10
      periodSeconds: 10
      timeoutSeconds: 15
      failureThreshold: 24
M
    if [ "$c" = kube-apiserver ]; then
      cat <<M
    readinessProbe:
      httpGet: {host: 127.0.0.1, path: /healthz, port: $port, scheme: HTTP}
      periodSeconds: 1
      timeoutSeconds: 15
      failureThreshold: 3
M
    fi
  } > "$d/manifests/$c.yaml"
done
start_runner "$d" "$port"
trap 'stop_runner_and_pods "$d"' EXIT
tool wait-running "http://127.0.0.1:$port/pods" 4 "$(now_ms)" 60 >/dev/null
sleep "$settle"
read -r rss cpu < <(idle_stats "$RUNNER_PID" "$idle")
threads=$(ls "/proc/$RUNNER_PID/task" | wc -l)
stop_runner_and_pods "$d"; trap - EXIT

if [ -n "${SKIP_PEER:-}" ]; then
  srss=-; scpu=-
else
s="$d/supervisord"; mkdir -p "$s"
{
  printf '[supervisord]\nnodaemon=true\nlogfile=%s/supervisord.log\npidfile=%s/supervisord.pid\n' "$s" "$s"
  for i in 1 2 3 4; do printf '[program:p%s]\ncommand=/usr/bin/sleep %s\nautorestart=true\nstartsecs=0\n' "$i" "$((400000 + i))"; done
} > "$s/supervisord.conf"
setsid supervisord -c "$s/supervisord.conf" >/dev/null 2>&1 &
sv=$!
trap 'kill $sv 2>/dev/null || true' EXIT
sleep "$settle"
read -r srss scpu < <(idle_stats "$sv" "$idle")
kill "$sv"; wait "$sv" 2>/dev/null || true; trap - EXIT
fi
echo "P5 runner RSS ${rss} MiB CPU ${cpu}% threads $threads; supervisord RSS ${srss} MiB CPU ${scpu}% (idle window ${idle}s, runner flags: $RUNNER_JAVA_OPTS)" >&2
row "P5 idle RSS, 4 pods (MiB)" "$rss" "$srss" "$(ratio "$rss" "$srss")" "<= 64" "$(le "$rss" 64)"
row "P5 idle CPU, 4 pods (% of a core, ${idle}s)" "$cpu" "$scpu" "$(ratio "$cpu" "$scpu")" "<= 0.1" "$(le "$cpu" 0.1)"
