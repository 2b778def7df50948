#!/usr/bin/env bash
# Installs what the tests need (Debian packages), then runs the whole build with its tests, then
# the fault drills against the jar just built (bench/drills, <= 5 min; KUBEBOOT_DRILLS=off skips
# them, as does any extra Maven argument, e.g. -DskipTests or -pl).
# Usage: scripts/test.sh [extra maven args]     (as root, or with sudo; CI runs it from .ci/run)
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v openssl >/dev/null || need+=(openssl)
command -v etcd >/dev/null || need+=(etcd-server)
command -v etcdctl >/dev/null || need+=(etcd-client)
command -v setsid >/dev/null || need+=(util-linux)
command -v curl >/dev/null || need+=(curl)
command -v ip >/dev/null || need+=(iproute2)
command -v iptables >/dev/null || need+=(iptables)
[ -x /usr/lib/cni/bridge ] || need+=(containernetworking-plugins)
# PrometheusScrapeIT scrapes the runner's /metrics with Debian's real Prometheus.
[ -x /usr/bin/prometheus ] || need+=(prometheus)
# The HA tests put Debian's haproxy in front of the nodes' API servers (as kubeadm's HA guide).
[ -x /usr/sbin/haproxy ] || need+=(haproxy)
python3 -c 'import yaml' 2>/dev/null || need+=(python3-yaml)
# BootstrapTokensIT verifies the bootstrap signer's JWS with Debian's python3 (hmac, base64).
[ -x /usr/bin/python3 ] || need+=(python3)
# The end-to-end tests open the uploaded certificates with Debian's Python AES-GCM.
/usr/bin/python3 -c 'import cryptography' 2>/dev/null || need+=(python3-cryptography)
# ImagesPullIT serves the images `config images pull` pulls from a registry of its own on loopback.
command -v docker-registry >/dev/null || need+=(docker-registry)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing test prerequisites: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# A real Docker engine and the test images made with `docker import` (no registry here).
bash scripts/docker-test-env.sh
# A private containerd with the CRI plugin and the test images (never Docker's own containerd).
bash scripts/containerd-test-env.sh
# binutils for the release build; lintian, systemd-analyze and a minimal Debian root for the
# package's tests.
bash scripts/packaging-test-env.sh

source scripts/java-home.sh
./mvnw -B verify "$@"
if [ $# -eq 0 ] && [ "${KUBEBOOT_DRILLS:-on}" != off ]; then
  echo "== fault drills (bench/drills/run-all.sh)"
  OUT="$(mktemp -d)" bench/drills/run-all.sh
fi
