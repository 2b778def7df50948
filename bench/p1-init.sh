#!/usr/bin/env bash
# P1 / P1e: `kubeboot init` render, whole process (JVM start included), median of P1_RUNS runs,
# each into a fresh --kubernetes-dir, with the launcher's flags (AOT cache included: trained
# beside $JAR when missing) and without the AOT cache (KUBEBOOT_AOT=off), vs bench/peers/openssl-pki.sh one key at a time (-j 1)
# and two at a time (-j 2), median of P1_PEER_RUNS runs.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
runs=${P1_RUNS:-5}
peer_runs=${P1_PEER_RUNS:-3}
d="$OUT/p1"; rm -rf "$d"; mkdir -p "$d"
printf 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nencryptionAlgorithm: ECDSA-P256\n' > "$d/ecdsa.yaml"
flags=(--skip-phases preflight,runner-start,wait-control-plane --apiserver-advertise-address 127.0.0.1 --node-name n1)

measure() { # label count cmd...
  local label=$1 count=$2; shift 2
  local i
  for i in $(seq 1 "$count"); do
    rm -rf "$d/run"
    wall "$@" || { echo "$label run $i failed: $*" >&2; return 1; }
  done > "$d/$label.txt"
  median < "$d/$label.txt"
}
kb_aot
kb_rsa=$(measure kb-rsa "$runs" kb init --kubernetes-dir "$d/run" "${flags[@]}")
kb_ec=$(measure kb-ec "$runs" kb init --config "$d/ecdsa.yaml" --kubernetes-dir "$d/run" "${flags[@]}")
kb_rsa_noaot=$(KUBEBOOT_AOT=off measure kb-rsa-noaot "$runs" kb init --kubernetes-dir "$d/run" "${flags[@]}")
kb_ec_noaot=$(KUBEBOOT_AOT=off measure kb-ec-noaot "$runs" kb init --config "$d/ecdsa.yaml" --kubernetes-dir "$d/run" "${flags[@]}")
os1=$(measure openssl-rsa-j1 "$peer_runs" "$BENCH/peers/openssl-pki.sh" "$d/run" -j 1)
os2=$(measure openssl-rsa-j2 "$peer_runs" "$BENCH/peers/openssl-pki.sh" "$d/run" -j 2)
ose=$(measure openssl-ec-j1 "$peer_runs" "$BENCH/peers/openssl-pki.sh" "$d/run" -j 1 -a ec)
rm -rf "$d/run"
echo "P1 flags: $(kb_flags init)" >&2
echo "P1 runs (s): kubeboot RSA $(tr '\n' ' ' < "$d/kb-rsa.txt")| ECDSA $(tr '\n' ' ' < "$d/kb-ec.txt")| without AOT cache: RSA $(tr '\n' ' ' < "$d/kb-rsa-noaot.txt")| ECDSA $(tr '\n' ' ' < "$d/kb-ec-noaot.txt")| openssl j1 $(tr '\n' ' ' < "$d/openssl-rsa-j1.txt")| j2 $(tr '\n' ' ' < "$d/openssl-rsa-j2.txt")| ec $(tr '\n' ' ' < "$d/openssl-ec-j1.txt")" >&2
row "P1 init RSA-2048 (s) vs openssl 1 key at a time" "$kb_rsa" "$os1" "$(ratio "$kb_rsa" "$os1")" "<= 0.8" "$(le "$kb_rsa" 0.8)"
row "P1 init RSA-2048 (s) vs openssl 2 keys at a time" "$kb_rsa" "$os2" "$(ratio "$kb_rsa" "$os2")" "<= 0.8" "$(le "$kb_rsa" 0.8)"
row "P1e init ECDSA-P256 (s)" "$kb_ec" "$ose" "$(ratio "$kb_ec" "$ose")" "<= 0.17" "$(le "$kb_ec" 0.17)"
row "P1 init RSA-2048 (s) without AOT cache" "$kb_rsa_noaot" "$os1" "$(ratio "$kb_rsa_noaot" "$os1")" "<= 0.8" "$(le "$kb_rsa_noaot" 0.8)"
row "P1e init ECDSA-P256 (s) without AOT cache" "$kb_ec_noaot" "$ose" "$(ratio "$kb_ec_noaot" "$ose")" "<= 0.17" "$(le "$kb_ec_noaot" 0.17)"
