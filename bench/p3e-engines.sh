#!/usr/bin/env bash
# P3e: crash -> restarted latency on the container engines, beside P3's host-process figure:
# the CRI runtime against the private containerd of scripts/containerd-test-env.sh, and the Docker
# runtime against scripts/docker-test-env.sh's dockerd (run both scripts first, as root).
# Per engine: P3E_KILLS + 5 sleep pods (kubeboot.test/busybox:1, "sleep N" with N unique on the
# machine); each pod's container is killed once with kill -9 (the first crash of a container
# restarts at once; later ones back off 10 s, 20 s, ...). Latency = kill -9 -> a process that did
# not exist at the kill running "sleep N" again, i.e. the new container's main process has exec'd;
# found by listing /proc every 1 ms from one Java process (bench/tools/Bench.java restart-sleep),
# resolution about 1 ms. What it includes: the runner noticing the exit (Docker: the engine's event
# stream; CRI: containerd's /tasks/exit events, containerd 1.6 has no CRI event stream; the
# ListContainers poll is only the safety net), the
# engine creating and starting a new container in the pod's existing sandbox or network.
# Every pod is removed through the runner at the end (manifests deleted, /pods empty), and the
# pods' logs under /var/log/pods (bench_p3e-*).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
kills=${P3E_KILLS:-60}
pods=$((kills + 5))
IMAGE=kubeboot.test/busybox:1
CRI_ENDPOINT=${CRI_ENDPOINT:-unix:///run/kubeboot-test-containerd/containerd.sock}
DOCKER_ENDPOINT=${DOCKER_ENDPOINT:-unix:///var/run/docker.sock}

cri_ready() {
  timeout 10 ctr --address "${CRI_ENDPOINT#unix://}" -n k8s.io images ls -q 2>/dev/null | grep -Fx "$IMAGE" >/dev/null
}
docker_ready() { timeout 10 docker image inspect "$IMAGE" >/dev/null 2>&1; }

pods_left() { # port -> number of pods the runner reports, or -1 when it does not answer
  local body
  body=$(curl -sf "http://127.0.0.1:$1/pods" 2>/dev/null) || { echo -1; return; }
  grep -o '"uid" *: *"' <<<"$body" | wc -l
}

# Deletes the manifests and lets a runner (the running one, or a new one that adopts what is left)
# stop and remove every pod, then stops the runner.
drain() { # dir port runtime endpoint
  local dir=$1 port=$2 pid i
  rm -f "$dir"/manifests/*.yaml
  pid=$(cat "$dir/runner.pid" 2>/dev/null || echo 0)
  if ! kill -0 "$pid" 2>/dev/null; then
    start_runner "$dir" "$port" "$3" "$4"
    pid=$RUNNER_PID
  fi
  for i in $(seq 1 600); do
    [ "$(pods_left "$port")" = 0 ] && break
    sleep 0.2
  done
  [ "$(pods_left "$port")" = 0 ] || echo "p3e: the $3 runner still lists pods; see $dir/runner.log" >&2
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  # The CRI runtime keeps a removed pod's last logs at the kubelet's layout, as the process
  # runtime does; these are the benchmark's own.
  rm -rf /var/log/pods/bench_p3e-*
}

# Runs in the foreground: one engine at a time, and its pods are gone before the next starts.
measure() { # name runtime endpoint port base; writes "n p50 p90 p99 max min timeouts" to $d/stats
  local name=$1 runtime=$2 endpoint=$3 port=$4 base=$5 d="$OUT/p3e-$1" i ms
  rm -rf "$d"; mkdir -p "$d/manifests"
  # sleep as a container's pid 1 ignores SIGTERM: a short grace period keeps the clean-up short.
  for i in $(seq 1 "$pods"); do
    sleep_pod "p3e-$name-$i" "$((base + i))" "$IMAGE" \
      | sed 's/^  hostNetwork: true$/&\n  terminationGracePeriodSeconds: 1/' > "$d/manifests/p3e-$name-$i.yaml"
  done
  start_runner "$d" "$port" "$runtime" "$endpoint"
  trap "drain '$d' $port $runtime $endpoint" EXIT
  ms=$(tool wait-running "http://127.0.0.1:$port/pods" "$pods" "$(now_ms)" 300)
  echo "P3e $name: $pods pods running after $ms ms" >&2
  sleep 3
  tool restart-sleep "$base" "$pods" "$kills" "$d/$name.txt" >&2
  tool stats "$d/$name.txt" > "$d/stats"
  drain "$d" "$port" "$runtime" "$endpoint"
  trap - EXIT
  echo "P3e $name: pods removed" >&2
}

cri_ready || { echo "p3e: no $IMAGE in the containerd at $CRI_ENDPOINT: run scripts/containerd-test-env.sh" >&2; exit 1; }
docker_ready || { echo "p3e: no $IMAGE in Docker: run scripts/docker-test-env.sh" >&2; exit 1; }

measure cri cri "$CRI_ENDPOINT" 18131 510000
read -r cn cp50 cp90 cp99 cmax cmin cbad < "$OUT/p3e-cri/stats"
measure docker docker "$DOCKER_ENDPOINT" 18132 520000
read -r dn dp50 dp90 dp99 dmax dmin dbad < "$OUT/p3e-docker/stats"
echo "P3e cri n=$cn p50=$cp50 p90=$cp90 p99=$cp99 max=$cmax min=$cmin timeouts=$cbad (exit detection: containerd's /tasks/exit events); docker n=$dn p50=$dp50 p90=$dp90 p99=$dp99 max=$dmax min=$dmin timeouts=$dbad" >&2
# No peer: no kubelet runs here; both beside P3's host-process figure.
row "P3d crash->restarted p50, Docker runtime (ms, n=$dn)" "$dp50" "-" "-" "<= 200" "$(le "$dp50" 200)"
row "P3d crash->restarted p99, Docker runtime (ms)" "$dp99" "-" "-" "-" "-"
row "P3e crash->restarted p50, CRI runtime (ms, n=$cn, containerd events)" "$cp50" "-" "-" "<= 150" "$(le "$cp50" 150)"
row "P3e crash->restarted p99, CRI runtime (ms)" "$cp99" "-" "-" "-" "-"
