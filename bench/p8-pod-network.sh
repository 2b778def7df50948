#!/usr/bin/env bash
# P8: a pod with its own network (CNI), manifest written -> container running, beside the same pod
# with hostNetwork, on the CRI runtime (the private containerd of scripts/containerd-test-env.sh,
# whose CNI config the runner writes), the Docker runtime (a pause sandbox per pod, attached by
# the runner through the CNI plugins) and the host-process runtime (a network namespace per pod).
# Run both scripts first, as root.
# Per engine one runner with --pod-cidr $P8_CIDR (kubeboot's bridge network, kubeboot0); pods are
# "sleep N" (kubeboot.test/busybox:1, N unique on the machine), written one at a time with an atomic
# rename; latency = rename -> a new process running "sleep N" (its container has exec'd), /proc
# listed every 1 ms (bench/tools/Bench.java create-sleep). Host-network and pod-network pods go in
# alternating rounds of 5, so load drifts hit both alike; one pod of each kind first, unmeasured
# (the runner writes the network config and the node's firewall rules once). What the network
# adds: the sandbox (CRI: RunPodSandbox with CNI in containerd; Docker: a pause container, then the
# plugins' ADD from the runner; host processes: a named network namespace, the plugins' ADD from
# the runner, the process started through ip netns exec) and the pod's /etc/hosts. Every pod is removed at the end (IPs
# released, veths gone) and the bridge and the runner's firewall chains with it.
# For Docker the run ends with its floor, measured without the runner: dockerd's create + start of
# the pause image with network "none" (a sandbox's network mode) beside "host" (P8_FLOOR_ROUNDS
# pairs), so the figure stands beside what one pause container costs in this dockerd.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
rounds=${P8_ROUNDS:-6}
CIDR=${P8_CIDR:-10.244.0.0/24}
IMAGE=kubeboot.test/busybox:1
PAUSE=kubeboot.test/pause:1
CRI_ENDPOINT=${CRI_ENDPOINT:-unix:///run/kubeboot-test-containerd/containerd.sock}
DOCKER_ENDPOINT=${DOCKER_ENDPOINT:-unix:///var/run/docker.sock}
CRI_CNI_CONF_DIR=${CRI_CNI_CONF_DIR:-/var/lib/kubeboot-test-containerd/cni/net.d}

pods_left() { # port -> number of pods the runner reports, or -1 when it does not answer
  local body
  body=$(curl -sf "http://127.0.0.1:$1/pods" 2>/dev/null) || { echo -1; return; }
  grep -o '"uid" *: *"' <<<"$body" | wc -l
}

template() { # hostNetwork true|false
  cat <<M
apiVersion: v1
kind: Pod
metadata:
  name: p8-@ARG@
  namespace: bench
spec:
  hostNetwork: $1
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: $IMAGE
    command: ["sleep", "@ARG@"]
M
}

drain() { # dir port
  local dir=$1 port=$2 pid i
  rm -f "$dir"/manifests/*.yaml
  for i in $(seq 1 900); do
    [ "$(pods_left "$port")" = 0 ] && break
    sleep 0.2
  done
  [ "$(pods_left "$port")" = 0 ] || echo "p8: the runner still lists pods; see $dir/runner.log" >&2
  pid=$(cat "$dir/runner.pid" 2>/dev/null || echo 0)
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -rf /var/log/pods/bench_p8-*
  ip link del kubeboot0 2>/dev/null || true
  for t in "filter FORWARD KUBEBOOT-FORWARD" "nat POSTROUTING KUBEBOOT-POSTROUTING"; do
    read -r table from chain <<<"$t"
    while iptables -w -t "$table" -D "$from" -m comment --comment "kubeboot pod network" -j "$chain" 2>/dev/null; do :; done
    iptables -w -t "$table" -F "$chain" 2>/dev/null || true
    iptables -w -t "$table" -X "$chain" 2>/dev/null || true
  done
}

measure() { # name runtime endpoint port base
  local name=$1 runtime=$2 endpoint=$3 port=$4 base=$5 d="$OUT/p8-$1" r
  rm -rf "$d"; mkdir -p "$d/manifests"
  template true > "$d/host.yaml"
  template false > "$d/net.yaml"
  RUNNER_ARGS="--pod-cidr $CIDR --pod-infra-container-image $PAUSE" start_runner "$d" "$port" "$runtime" "$endpoint"
  trap "drain '$d' $port" EXIT
  wait_healthz "$port"
  tool create-sleep "$d/manifests" "$d/host.yaml" "$base" 1 "$d/warm-host.txt" >&2
  tool create-sleep "$d/manifests" "$d/net.yaml" "$((base + 1000))" 1 "$d/warm-net.txt" >&2
  : > "$d/host.txt"; : > "$d/net.txt"
  for r in $(seq 1 "$rounds"); do
    tool create-sleep "$d/manifests" "$d/host.yaml" "$((base + 10 * r))" 5 "$d/h.txt" >&2
    cat "$d/h.txt" >> "$d/host.txt"
    tool create-sleep "$d/manifests" "$d/net.yaml" "$((base + 1000 + 10 * r))" 5 "$d/n.txt" >&2
    cat "$d/n.txt" >> "$d/net.txt"
  done
  tool stats "$d/host.txt" > "$d/host.stats"
  tool stats "$d/net.txt" > "$d/net.stats"
  drain "$d" "$port"
  trap - EXIT
  # The runner wrote its network into the private containerd's CNI conf dir: left there, that
  # containerd would go on reporting a pod network to whatever runs next (tests expect none).
  [ "$runtime" != cri ] || rm -f "$CRI_CNI_CONF_DIR/00-kubeboot.conflist"
}

timeout 10 ctr --address "${CRI_ENDPOINT#unix://}" -n k8s.io images ls -q 2>/dev/null | grep -Fx "$IMAGE" >/dev/null \
  || { echo "p8: no $IMAGE in the containerd at $CRI_ENDPOINT: run scripts/containerd-test-env.sh" >&2; exit 1; }
docker image inspect "$PAUSE" >/dev/null 2>&1 \
  || { echo "p8: no $PAUSE in Docker: run scripts/docker-test-env.sh" >&2; exit 1; }

# dockerd's own price of a network namespace, with no runner involved: create + start of the pause
# image through the Engine API, network mode "none" (what a sandbox is) against "host", in
# alternating pairs. dockerd re-executes itself twice for a container with a namespace of its own
# (the set-ipv6 step and runc's libnetwork-setkey prestart hook), which a host-network container
# skips; no API call avoids that.
docker_floor() { # rounds
  local i mode id s e
  : > "$OUT/p8-floor-none.txt"; : > "$OUT/p8-floor-host.txt"
  for i in $(seq 1 "$1"); do
    for mode in none host; do
      s=$(date +%s%N)
      id=$(curl -sf --unix-socket "${DOCKER_ENDPOINT#unix://}" -H 'Content-Type: application/json' \
        -d "{\"Image\":\"$PAUSE\",\"Labels\":{\"kubeboot.bench\":\"p8\"},\"HostConfig\":{\"NetworkMode\":\"$mode\"}}" \
        http://localhost/containers/create | sed -n 's/.*"Id":"\([0-9a-f]*\)".*/\1/p')
      curl -sf --unix-socket "${DOCKER_ENDPOINT#unix://}" -X POST "http://localhost/containers/$id/start" >/dev/null
      e=$(date +%s%N)
      echo "$(( (e - s) / 1000 ))" | awk '{printf "%.1f\n", $1 / 1000}' >> "$OUT/p8-floor-$mode.txt"
      curl -sf --unix-socket "${DOCKER_ENDPOINT#unix://}" -X DELETE "http://localhost/containers/$id?force=true" >/dev/null
    done
  done
  tool stats "$OUT/p8-floor-none.txt" > "$OUT/p8-floor-none.stats"
  tool stats "$OUT/p8-floor-host.txt" > "$OUT/p8-floor-host.stats"
}

engines=${P8_ENGINES:-cri docker process}
for e in $engines; do
  case $e in
    cri) measure cri cri "$CRI_ENDPOINT" 18181 530000 ;;
    docker) measure docker docker "$DOCKER_ENDPOINT" 18182 540000 ;;
    process) measure process process "" 18183 550000 ;;
    *) echo "p8: unknown engine $e in P8_ENGINES (cri, docker, process)" >&2; exit 2 ;;
  esac
done
for e in $engines; do
  read -r hn hp50 hp90 hp99 hmax hmin hbad < "$OUT/p8-$e/host.stats"
  read -r nn np50 np90 np99 nmax nmin nbad < "$OUT/p8-$e/net.stats"
  add=$(awk -v a="$np50" -v b="$hp50" 'BEGIN{printf "%.1f", a-b}')
  echo "P8 $e hostNetwork n=$hn p50=$hp50 p99=$hp99 timeouts=$hbad; pod network n=$nn p50=$np50 p99=$np99 timeouts=$nbad; adds $add ms p50" >&2
  row "P8 file->running p50, pod network, $e (ms, n=$nn) vs hostNetwork" "$np50" "$hp50" "$(ratio "$np50" "$hp50")" "+<= 100" "$(le "$add" 100)"
  row "P8 file->running p99, pod network, $e (ms) vs hostNetwork" "$np99" "$hp99" "$(ratio "$np99" "$hp99")" "-" "-"
  if [ "$e" = docker ]; then
    docker_floor "${P8_FLOOR_ROUNDS:-10}"
    read -r fn fnone _ < "$OUT/p8-floor-none.stats"
    read -r _ fhost _ < "$OUT/p8-floor-host.stats"
    floor=$(awk -v a="$fnone" -v b="$fhost" 'BEGIN{printf "%.1f", a-b}')
    echo "P8 docker floor: dockerd alone, pause create+start n=$fn: network none p50=$fnone, host p50=$fhost (its own namespace: +$floor ms); the runner's network adds $add ms p50, one pause container being $fnone ms" >&2
    row "P8 dockerd alone: pause create+start p50, network none (ms, n=$fn) vs host" "$fnone" "$fhost" "$(ratio "$fnone" "$fhost")" "-" "-"
    row "P8 docker: what the network adds p50 (ms) vs dockerd's pause create+start alone" "$add" "$fnone" "$(ratio "$add" "$fnone")" "-" "-"
  fi
done
