#!/usr/bin/env bash
# Makes a PRIVATE image registry on loopback ready for the tests that pull, such as the
# Kubernetes docs' static-web pod, whose image "nginx" has no tag and is therefore always pulled.
# No registry outside this machine is reachable here, so Docker and the test containerd use this
# one as their mirror of Docker Hub (docker.io): scripts/docker-test-env.sh and
# scripts/containerd-test-env.sh configure that and push the test images into it.
# Idempotent: installs Debian's docker-registry only when missing and starts it only when it does
# not answer. Every wait is bounded.
#   address  http://127.0.0.1:5787 (loopback only; plain HTTP, as registries on 127.0.0.0/8 may be)
#   storage  /var/lib/kubeboot-test-registry, config /var/lib/kubeboot-test-registry/config.yml
#   log      /var/log/kubeboot-test-registry.log
# Usage: scripts/registry-test-env.sh     (as root)
set -euo pipefail

ADDRESS=127.0.0.1:5787
ROOT=/var/lib/kubeboot-test-registry
LOG=/var/log/kubeboot-test-registry.log

log() { echo "registry-test-env: $*"; }

if ! command -v docker-registry >/dev/null; then
  log "installing docker-registry"
  export DEBIAN_FRONTEND=noninteractive
  timeout 300 apt-get update -qq
  timeout 600 apt-get install -y -qq --no-install-recommends docker-registry curl >/dev/null
fi

answers() { curl -sf -o /dev/null --max-time 2 "http://$ADDRESS/v2/"; }

if answers; then
  exit 0
fi
mkdir -p "$ROOT/data"
cat >"$ROOT/config.yml" <<EOF
# Written by scripts/registry-test-env.sh: a private registry for kubeboot's tests.
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $ROOT/data
  delete:
    enabled: true
http:
  addr: $ADDRESS
EOF
log "starting a private registry on http://$ADDRESS (log: $LOG)"
setsid docker-registry serve "$ROOT/config.yml" >"$LOG" 2>&1 </dev/null &
for _ in $(seq 1 40); do
  answers && exit 0
  sleep 0.25
done
log "the registry did not answer on $ADDRESS within 10 s; last lines of $LOG:" >&2
tail -n 20 "$LOG" >&2 || true
exit 1
