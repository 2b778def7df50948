#!/usr/bin/env bash
# P7: `kubeboot status` on a healthy control plane, whole command (JVM start to exit), vs
# `kubectl get pods -n kube-system` against the same API server, alternating, median of P7_RUNS.
# The control plane: `kubeboot init` on the host-process runtime with Debian's etcd and the
# stand-ins of testing/bin (build them: ./mvnw -pl testing -am package), as bench/drills/d5 does.
# `status` answers from the health results the runner's probes keep (its /probes endpoint, once
# every component has a fresh liveness result); `status --live` checks each health endpoint itself
# (one TLS handshake per component), and status without the launcher's AOT cache (trained on
# init), measured beside it, alternating. Also counts the classes each loads.
# It binds the control-plane ports (2379, 2380, 6443, 10248, 10257, 10259), so it takes the lock
# the integration tests take (/tmp/kubeboot-it.lock) itself: do not run it under that lock.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
if [ "${P7_LOCKED:-}" != 1 ]; then
  exec env P7_LOCKED=1 flock /tmp/kubeboot-it.lock "$0" "$@"
fi
runs=${P7_RUNS:-15}
export PATH="$ROOT/testing/bin:$PATH"
[ -x /usr/bin/etcd ] || { echo "P7 needs Debian's etcd (apt-get install etcd-server)" >&2; exit 2; }
[ -f "$ROOT/testing/target/kubeboot-testing.jar" ] || { echo "P7 needs the stand-ins: ./mvnw -pl testing -am package" >&2; exit 2; }
kb_aot
d="$OUT/p7"; rm -rf "$d"; mkdir -p "$d"
kube="$d/kubernetes"
cat > "$d/kubeadm.yaml" <<YAML
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: 127.0.0.1
nodeRegistration:
  name: p7
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
etcd:
  local:
    imageTag: 3.4.23-0
    dataDir: $d/etcd-data
YAML
common=(--config "$d/kubeadm.yaml" --kubernetes-dir "$kube")
trap 'kb reset --force "${common[@]}" >"$d/reset.out" 2>&1 || echo "P7: reset failed, see $d/reset.out" >&2' EXIT
kb init "${common[@]}" --container-runtime process --timeout 3m >"$d/init.out" 2>&1 ||
  { echo "P7: init failed:" >&2; tail -5 "$d/init.out" >&2; exit 1; }
# Wait for a healthy control plane whose four components each have a liveness result (kubeadm's
# liveness probes start 10 s after the container, every 10 s).
ok=
for _ in $(seq 1 120); do
  n=$(curl -fsS --max-time 2 http://127.0.0.1:10248/probes 2>/dev/null | jq '[.probes[] | select(.probe == "Liveness" and .success)] | length' 2>/dev/null)
  if [ "${n:-0}" -ge 4 ] && kb status "${common[@]:2}" >/dev/null 2>&1; then ok=1; break; fi
  sleep 1
done
[ -n "$ok" ] || { echo "P7: the control plane did not become healthy:" >&2; kb status "${common[@]:2}" >&2; exit 1; }
kb status "${common[@]:2}" > "$d/status.txt"
kb status --live "${common[@]:2}" > "$d/status-live.txt"
kubectl --kubeconfig "$kube/admin.conf" get pods -n kube-system > "$d/kubectl.txt" 2>&1
: > "$d/status.ms"; : > "$d/live.ms"; : > "$d/kubectl.ms"; : > "$d/noaot.ms"
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
for _ in $(seq 1 "$runs"); do
  ms kb status "${common[@]:2}" >> "$d/status.ms"
  ms kubectl --kubeconfig "$kube/admin.conf" get pods -n kube-system >> "$d/kubectl.ms"
  ms kb status --live "${common[@]:2}" >> "$d/live.ms"
  KUBEBOOT_AOT=off ms kb status "${common[@]:2}" >> "$d/noaot.ms"
done
classes=$(kubeboot_jvm_opts "$JAR" status; "$JAVA" "${KUBEBOOT_JVM_OPTS[@]}" -Xlog:class+load=info -jar "$JAR" status "${common[@]:2}" 2>/dev/null | grep -c 'class,load')
live_classes=$(kubeboot_jvm_opts "$JAR" status; "$JAVA" "${KUBEBOOT_JVM_OPTS[@]}" -Xlog:class+load=info -jar "$JAR" status --live "${common[@]:2}" 2>/dev/null | grep -c 'class,load')
s=$(median < "$d/status.ms"); l=$(median < "$d/live.ms"); k=$(median < "$d/kubectl.ms"); n=$(median < "$d/noaot.ms")
noaot_classes=$(KUBEBOOT_AOT=off kubeboot_jvm_opts "$JAR" status; "$JAVA" "${KUBEBOOT_JVM_OPTS[@]}" -Xlog:class+load=info -jar "$JAR" status "${common[@]:2}" 2>/dev/null | grep -c 'class,load')
echo "P7 status ms: $(tr '\n' ' ' < "$d/status.ms"); --live: $(tr '\n' ' ' < "$d/live.ms"); without the AOT cache: $(tr '\n' ' ' < "$d/noaot.ms"); kubectl: $(tr '\n' ' ' < "$d/kubectl.ms"); classes loaded: status $classes, --live $live_classes, without the AOT cache $noaot_classes (flags: $(kb_flags status))" >&2
twice=$(awk -v k="$k" 'BEGIN{print 2*k}')
met=$( [ "$(le "$s" 300)" = yes ] && [ "$(le "$s" "$twice")" = yes ] && echo yes || echo MISSED)
row "P7 kubeboot status, healthy control plane (ms, median of $runs)" "$s" "kubectl get pods $k" "$(ratio "$s" "$k")" "<= 300 and <= 2x kubectl" "$met"
row "P7 kubeboot status --live (ms, median of $runs)" "$l" "kubectl get pods $k" "$(ratio "$l" "$k")" "-" "-"
row "P7 kubeboot status without the AOT cache (ms, median of $runs)" "$n" "kubectl get pods $k" "$(ratio "$n" "$k")" "-" "-"
