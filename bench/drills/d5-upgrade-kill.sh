#!/usr/bin/env bash
# Drill D5: kill -9 of `upgrade apply` at random moments on a live control plane: the process
# runtime, Debian's etcd and the stand-ins of testing/bin (build them: ./mvnw -pl testing -am
# package). It binds the control-plane ports (2379, 2380, 6443, 10248, 10257, 10259): run it alone
# (run-all.sh leaves it out), e.g. `flock /tmp/kubeboot-it.lock bench/drills/d5-upgrade-kill.sh`.
# Once: init at v1.33.6, one full apply to v1.34.2 timed, a forced apply back. Then D5_ROUNDS times:
# apply v1.34.2 killed after a random delay in [0, 1.1 x the full apply]; every manifest is then
# valid YAML and equal either to what it was before the apply or to what the completed rerun leaves;
# the rerun of the same apply completes; a forced apply back to v1.33.6 restores the v1.33.6
# manifests byte for byte.
set -uo pipefail
source "$(dirname "$0")/../lib.sh"
rounds=${D5_ROUNDS:-5}
from=v1.33.6; to=v1.34.2
export PATH="$ROOT/testing/bin:$PATH"
[ -x /usr/bin/etcd ] || { echo "D5 needs Debian's etcd (apt-get install etcd-server)" >&2; exit 2; }
d="$OUT/d5"; rm -rf "$d"; mkdir -p "$d"
kube="$d/kubernetes"; m="$kube/manifests"
cat > "$d/kubeadm.yaml" <<YAML
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: 127.0.0.1
nodeRegistration:
  name: d5
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: $from
etcd:
  local:
    imageTag: 3.4.23-0
    dataDir: $d/etcd-data
YAML
common=(--config "$d/kubeadm.yaml" --kubernetes-dir "$kube")
trap 'kb reset --force "${common[@]}" >"$d/reset.out" 2>&1 || echo "FAIL reset: see $d/reset.out"' EXIT
kb init "${common[@]}" --container-runtime process --timeout 3m >"$d/init.out" 2>&1 || { echo "FAIL init"; tail -5 "$d/init.out"; exit 1; }

hashes() { (cd "$m" && sha256sum etcd.yaml kube-apiserver.yaml kube-controller-manager.yaml kube-scheduler.yaml 2>&1); }
apply() { kb upgrade apply "$1" -y "${@:2}" "${common[@]}"; }

t0=$(now_ms)
apply "$to" >"$d/full.out" 2>&1 || { echo "FAIL the full apply"; tail -5 "$d/full.out"; exit 1; }
full_ms=$(( $(now_ms) - t0 ))
apply "$from" --force >"$d/back.out" 2>&1 || { echo "FAIL the forced apply back"; tail -5 "$d/back.out"; exit 1; }
old=$(hashes)
fail=0; killed=0
for r in $(seq 1 "$rounds"); do
  delay_ms=$(( (RANDOM * 32768 + RANDOM) % (full_ms * 11 / 10) ))
  (kubeboot_jvm_opts "$JAR" upgrade; exec "$JAVA" "${KUBEBOOT_JVM_OPTS[@]}" -jar "$JAR" upgrade apply "$to" -y "${common[@]}" >"$d/r$r.out" 2>&1) &
  pid=$!
  sleep "$(awk -v ms="$delay_ms" 'BEGIN{printf "%.3f", ms/1000}')"
  if kill -9 "$pid" 2>/dev/null; then how=killed; killed=$((killed + 1)); else how=finished; fi
  wait "$pid" 2>/dev/null
  at_kill=$(hashes)
  for f in "$m"/*.yaml; do
    /usr/bin/python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' "$f" 2>/dev/null ||
      { echo "FAIL round $r ($how at ${delay_ms}ms): $f is not valid YAML"; fail=1; }
  done
  if ! apply "$to" >"$d/r$r.rerun" 2>&1; then
    echo "FAIL round $r ($how at ${delay_ms}ms): the rerun failed:"; tail -5 "$d/r$r.rerun"; fail=1; break
  fi
  new=$(hashes)
  while read -r sum file; do
    grep -qx "$sum  $file" <<<"$old" || grep -qx "$sum  $file" <<<"$new" ||
      { echo "FAIL round $r ($how at ${delay_ms}ms): $file was neither the old nor the new manifest"; fail=1; }
  done <<<"$at_kill"
  mixed=$(diff <(echo "$at_kill") <(echo "$old") | grep -c '^<')
  if ! apply "$from" --force >"$d/r$r.back" 2>&1 || [ "$(hashes)" != "$old" ]; then
    echo "FAIL round $r: the forced apply back to $from did not restore its manifests"; fail=1; break
  fi
  echo "ok round $r: $how at ${delay_ms}/${full_ms}ms, $mixed of 4 manifests already new, each whole; rerun completed"
done
echo "D5 upgrade apply kill -9: $rounds rounds ($killed killed mid-run), full apply ${full_ms} ms; failures $fail"
[ $fail -eq 0 ]
