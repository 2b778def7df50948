#!/usr/bin/env bash
# Drill D1: kill -9 of `init` at random moments. For each kill: every file is absent or complete
# and valid (validate-init.sh), then a second init completes, reuses the CA (ca.crt and ca.key
# unchanged when both survived) and leaves a complete, valid set with no temp file left over.
# D1_EC kills with ECDSA-P256 and D1_RSA with RSA-2048 (slower); kill moments uniform over
# [0, 1.1 x the measured duration of a full run] of each algorithm. D1_JOBS kills run side by side
# (default 2, one per core), each in its own directory; the full run is measured with as many
# running at once, so the kill moments still cover a whole run.
set -uo pipefail
source "$(dirname "$0")/../lib.sh"
kb_aot   # init runs as the launcher runs it: with the AOT cache
ec=${D1_EC:-47}; rsa=${D1_RSA:-3}; jobs=${D1_JOBS:-2}
d="$OUT/d1"; rm -rf "$d"; mkdir -p "$d"
printf 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nencryptionAlgorithm: ECDSA-P256\n' > "$d/ecdsa.yaml"
flags=(--skip-phases preflight,runner-start,wait-control-plane --apiserver-advertise-address 127.0.0.1 --node-name n1)
run_init() { kb init "$@" "${flags[@]}"; }

# one_kill ALG I FULL_MS: one kill and its checks in $d/$ALG-$I; prints "ok ..." or FAIL lines and
# one "result killed|finished reused(0|1) dotfiles N" line
one_kill() {
  local alg=$1 i=$2 full_ms=$3 k="$d/$1-$2" extra=() delay_ms pid files out rc n ca_before reused=0 how
  [ "$alg" = ec ] && extra=(--config "$d/ecdsa.yaml")
  delay_ms=$(( (RANDOM * 32768 + RANDOM) % (full_ms * 11 / 10) ))
  # exec: $! must be the JVM itself, not a subshell around it
  (kubeboot_jvm_opts "$JAR" init; exec "$JAVA" "${KUBEBOOT_JVM_OPTS[@]}" -jar "$JAR" init --kubernetes-dir "$k" "${extra[@]}" "${flags[@]}" >"$k.out" 2>&1) &
  pid=$!
  sleep "$(awk -v m="$delay_ms" 'BEGIN{printf "%.3f", m/1000}')"
  if kill -9 "$pid" 2>/dev/null; then how=killed; else how=finished; fi
  wait "$pid" 2>/dev/null
  files=$(find "$k" -type f 2>/dev/null | wc -l)
  out=$("$BENCH/drills/validate-init.sh" "$k"); rc=$?
  n=$(sed -n 's/^dotfiles //p' <<<"$out")
  if [ $rc -ne 0 ]; then
    echo "FAIL $alg kill at ${delay_ms}ms ($files files):"; grep PROBLEM <<<"$out"; cp -a "$k" "$d/failed-$alg-$i"
    echo "result $how 0 ${n:-0}"; return
  fi
  ca_before=""; [ -e "$k/pki/ca.crt" ] && [ -e "$k/pki/ca.key" ] && ca_before=$(cat "$k/pki/ca.crt" "$k/pki/ca.key" | sha256sum)
  if ! run_init --kubernetes-dir "$k" "${extra[@]}" >"$k.second" 2>&1; then
    echo "FAIL $alg kill at ${delay_ms}ms: second init failed:"; tail -3 "$k.second"; cp -a "$k" "$d/failed-$alg-$i"
    echo "result $how 0 ${n:-0}"; return
  fi
  if [ -n "$ca_before" ]; then
    if [ "$ca_before" = "$(cat "$k/pki/ca.crt" "$k/pki/ca.key" | sha256sum)" ]; then reused=1
    else echo "FAIL $alg kill at ${delay_ms}ms: second init replaced the CA"; fi
  fi
  out=$("$BENCH/drills/validate-init.sh" "$k" --all) || { echo "FAIL $alg kill at ${delay_ms}ms: after the second init:"; grep PROBLEM <<<"$out"; }
  # the second init removes temp files the killed one left (they may hold half a private key)
  if [ "$(sed -n 's/^dotfiles //p' <<<"$out")" != 0 ]; then
    echo "FAIL $alg kill at ${delay_ms}ms: temp files left after the second init:"; find "$k" -type f -name '.*' ! -name .kubeboot-manifests.sha256 ! -name .kubeboot-etcd-data-dir
  fi
  echo "ok $alg kill at ${delay_ms}/${full_ms}ms: $files files survived"
  echo "result $how $reused ${n:-0}"
  rm -rf "$k" "$k.out" "$k.second"
}

: > "$d/results.txt"
for alg in ec rsa; do
  count=$ec; extra=(--config "$d/ecdsa.yaml")
  [ "$alg" = rsa ] && { count=$rsa; extra=(); }
  [ "$count" -gt 0 ] || continue
  s=$(date +%s%N)
  for j in $(seq 1 "$jobs"); do run_init --kubernetes-dir "$d/full-$j" "${extra[@]}" >/dev/null 2>&1 & done
  wait
  e=$(date +%s%N); rm -rf "$d"/full-*
  full_ms=$(( (e - s) / 1000000 ))
  for j in $(seq 1 "$jobs"); do
    ( for i in $(seq "$j" "$jobs" "$count"); do one_kill "$alg" "$i" "$full_ms"; done ) >> "$d/results.txt" &
  done
  wait
done
grep -v '^result ' "$d/results.txt"
runs=$(grep -c '^result ' "$d/results.txt")
killed=$(grep -c '^result killed' "$d/results.txt")
reused=$(awk '/^result /{s+=$3} END{print s+0}' "$d/results.txt")
dotfiles=$(awk '/^result /{s+=$4} END{print s+0}' "$d/results.txt")
fail=$(grep -c '^FAIL' "$d/results.txt")
echo "D1 init kill -9: $runs runs, $jobs at a time ($killed killed, $((runs - killed)) finished first), CA reused $reused times, dotfile leftovers after a kill $dotfiles (all gone after the second init), failures $fail"
[ "$runs" -eq $((ec + rsa)) ] && [ "$fail" -eq 0 ]
