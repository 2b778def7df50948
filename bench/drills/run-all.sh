#!/usr/bin/env bash
# Runs every fault drill but D5 (it binds the control-plane ports on the host: run it alone);
# exits non-zero when any fails. Target: D1-D4 <= 5 min on 2 cores; D6 (two nodes joining, four
# kills) adds a few minutes. D6 needs root (network namespaces), Debian's etcd and etcdctl and the
# API stand-ins (testing/target/kubeboot-testing.jar).
# JAR=... to test another jar; OUT=... for the drills' files (default /tmp/kubeboot-bench).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../lib.sh"
[ -f "$JAR" ] || { echo "no jar at $JAR: build it (./mvnw -B -q -pl cli,testing -am package -DskipTests) or set JAR" >&2; exit 2; }
command -v openssl >/dev/null && command -v curl >/dev/null && python3 -c 'import yaml' 2>/dev/null ||
  { echo "the drills need openssl, curl and python3 with PyYAML (apt-get install openssl curl python3-yaml)" >&2; exit 2; }
start=$(date +%s); failed=()
for drill in d1-init-kill d2-bad-manifests d3-runner-restart d4-container-kills d6-join-kill; do
  s=$(date +%s)
  echo "== $drill (load $(cut -d' ' -f1 /proc/loadavg))"
  if "$here/$drill.sh" > "$OUT/$drill.log" 2>&1; then verdict=passed; else verdict=FAILED; failed+=("$drill"); fi
  grep -v '^ok ' "$OUT/$drill.log" | tail -25
  echo "== $drill $verdict in $(( $(date +%s) - s )) s (full log $OUT/$drill.log)"
done
echo "drills: $(( $(date +%s) - start )) s; failed: ${failed[*]:-none}"
[ ${#failed[@]} -eq 0 ]
