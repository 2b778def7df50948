#!/usr/bin/env bash
# Drill D1: kill -9 of `init` at random moments. For each kill: every file is absent or complete
# and valid (validate-init.sh), then a second init completes, reuses the CA (ca.crt and ca.key
# unchanged when both survived) and leaves a complete, valid set.
# D1_EC kills with ECDSA-P256 and D1_RSA with RSA-2048 (slower); kill moments uniform over
# [0, 1.1 x the measured duration of a full run] of each algorithm.
set -uo pipefail
source "$(dirname "$0")/../lib.sh"
ec=${D1_EC:-46}; rsa=${D1_RSA:-4}
d="$OUT/d1"; rm -rf "$d"; mkdir -p "$d"
printf 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nencryptionAlgorithm: ECDSA-P256\n' > "$d/ecdsa.yaml"
flags=(--skip-phases preflight,runner-start,wait-control-plane --apiserver-advertise-address 127.0.0.1 --node-name n1)
fail=0; dotfiles=0; killed_early=0; finished=0; reused=0
run_init() { kb init "$@" "${flags[@]}"; }
for alg in ec rsa; do
  count=$ec; extra=(--config "$d/ecdsa.yaml")
  [ "$alg" = rsa ] && { count=$rsa; extra=(); }
  [ "$count" -gt 0 ] || continue
  rm -rf "$d/full"
  s=$(date +%s%N); run_init --kubernetes-dir "$d/full" "${extra[@]}" >/dev/null 2>&1; e=$(date +%s%N)
  full_ms=$(( (e - s) / 1000000 ))
  for i in $(seq 1 "$count"); do
    k="$d/k"; rm -rf "$k"
    delay_ms=$(( RANDOM * 32768 + RANDOM )); delay_ms=$(( delay_ms % (full_ms * 11 / 10) ))
    # exec: $! must be the JVM itself, not a subshell around it
    (kubeboot_jvm_opts "$JAR" init; exec "$JAVA" "${KUBEBOOT_JVM_OPTS[@]}" -jar "$JAR" init --kubernetes-dir "$k" "${extra[@]}" "${flags[@]}" >"$d/out.log" 2>&1) &
    pid=$!
    sleep "$(awk -v m="$delay_ms" 'BEGIN{printf "%.3f", m/1000}')"
    if kill -9 "$pid" 2>/dev/null; then killed_early=$((killed_early + 1)); else finished=$((finished + 1)); fi
    wait "$pid" 2>/dev/null
    files=$(find "$k" -type f 2>/dev/null | wc -l)
    out=$("$BENCH/drills/validate-init.sh" "$k"); rc=$?
    n=$(sed -n 's/^dotfiles //p' <<<"$out"); dotfiles=$((dotfiles + ${n:-0}))
    if [ $rc -ne 0 ]; then fail=$((fail + 1)); echo "FAIL $alg kill at ${delay_ms}ms ($files files):"; grep PROBLEM <<<"$out"; cp -a "$k" "$d/failed-$alg-$i"; continue; fi
    ca_before=""; [ -e "$k/pki/ca.crt" ] && [ -e "$k/pki/ca.key" ] && ca_before=$(cat "$k/pki/ca.crt" "$k/pki/ca.key" | sha256sum)
    if ! run_init --kubernetes-dir "$k" "${extra[@]}" >"$d/second.log" 2>&1; then
      fail=$((fail + 1)); echo "FAIL $alg kill at ${delay_ms}ms: second init failed:"; tail -3 "$d/second.log"; cp -a "$k" "$d/failed-$alg-$i"; continue
    fi
    if [ -n "$ca_before" ]; then
      if [ "$ca_before" = "$(cat "$k/pki/ca.crt" "$k/pki/ca.key" | sha256sum)" ]; then reused=$((reused + 1))
      else fail=$((fail + 1)); echo "FAIL $alg kill at ${delay_ms}ms: second init replaced the CA"; fi
    fi
    out=$("$BENCH/drills/validate-init.sh" "$k" --all) || { fail=$((fail + 1)); echo "FAIL $alg kill at ${delay_ms}ms: after the second init:"; grep PROBLEM <<<"$out"; }
    echo "ok $alg kill at ${delay_ms}/${full_ms}ms: $files files survived"
  done
done
echo "D1 init kill -9: $((ec + rsa)) runs ($killed_early killed, $finished finished first), CA reused $reused times, dotfile leftovers $dotfiles, failures $fail"
[ $fail -eq 0 ]
