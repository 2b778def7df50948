#!/usr/bin/env bash
# P4: manifest edit -> new pod running, vs `podman kube play --replace`.
# kubeboot: one sleep pod; each edit changes its argument and replaces the manifest with an
# atomic rename; latency = rename -> a pid file whose process runs `sleep <new arg>` (1 ms polling,
# bench/tools/Bench.java). The old pod is stopped first (SIGTERM; sleep exits at once).
# podman: the same pod (image made by `podman import` of /bin/sleep + its libraries); latency =
# wall time of `podman kube play --replace` (it returns once the new container runs), checked
# with `podman ps` afterwards.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
edits=${P4_EDITS:-100}
peer_edits=${P4_PEER_EDITS:-15}
d="$OUT/p4"; rm -rf "$d"; mkdir -p "$d/manifests"
sleep_pod p4 '@ARG@' > "$d/template.yaml"
sed 's/@ARG@/100000/' "$d/template.yaml" > "$d/manifests/p4.yaml"
start_runner "$d" 18104
trap 'stop_runner_and_pods "$d"' EXIT
tool wait-running http://127.0.0.1:18104/pods 1 "$(now_ms)" 60 >/dev/null
sleep 1
tool edit "$d/manifests/p4.yaml" "$d/state/containers" "$d/template.yaml" "$edits" "$d/kubeboot.txt"
read -r n p50 p90 p99 max min bad < <(tool stats "$d/kubeboot.txt")
stop_runner_and_pods "$d"; trap - EXIT

pp50=-; pp99=-; pn=0
if command -v podman >/dev/null && { podman image exists localhost/benchsleep:1 || "$BENCH/peers/podman-image.sh" >&2; }; then
  p="$d/podman"; mkdir -p "$p"
  : > "$p/podman.txt"
  for i in $(seq 1 "$peer_edits"); do
    cat > "$p/pod.yaml" <<Y
apiVersion: v1
kind: Pod
metadata:
  name: p4bench
spec:
  containers:
  - name: main
    image: localhost/benchsleep:1
    command: ["/bin/sleep", "$((200000 + i))"]
Y
    s=$(date +%s%N)
    podman kube play --replace "$p/pod.yaml" >/dev/null 2>>"$p/podman.err"
    e=$(date +%s%N)
    if podman inspect --format '{{.State.Running}} {{.Args}}' p4bench-main 2>/dev/null | grep -q "^true .*$((200000 + i))"; then
      awk -v a="$s" -v b="$e" 'BEGIN{printf "%.3f\n", (b-a)/1e6}' >> "$p/podman.txt"
    else
      echo "timeout" >> "$p/podman.txt"
    fi
  done
  podman kube down "$p/pod.yaml" >/dev/null 2>&1 || true
  read -r pn pp50 pp90 pp99 pmax pmin pbad < <(tool stats "$p/podman.txt")
fi
echo "P4 kubeboot n=$n p50=$p50 p90=$p90 p99=$p99 max=$max min=$min timeouts=$bad; podman n=$pn p50=$pp50 p99=$pp99 min=${pmin:-}" >&2
row "P4 manifest edit->new pod running p50 (ms, n=$n vs $pn)" "$p50" "$pp50" "$(ratio "$p50" "$pp50")" "<= 100" "$(le "$p50" 100)"
row "P4 manifest edit->new pod running p99 (ms)" "$p99" "$pp99" "$(ratio "$p99" "$pp99")" "-" "-"
