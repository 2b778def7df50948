#!/usr/bin/env bash
# The main job on a fresh machine: build kubeboot and run `kubeboot init` on the embedded runner with the
# host-process runtime (no container engine needed), then `kubeboot status`.
#
# What is real and what is not: the PKI, kubeconfigs, manifests, the runner and etcd (Debian's etcd-server)
# are real. No kube-apiserver, kube-controller-manager or kube-scheduler binary exists on this machine, so
# testing/bin puts honest stand-ins (test doubles serving the same flags and health endpoints over TLS)
# on PATH; with the real binaries on PATH instead, the same command runs the real control plane.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=/tmp/kubeboot-quickstart

if ! command -v etcd >/dev/null; then
  echo "installing etcd-server (Debian) ..."
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends etcd-server etcd-client >/dev/null
fi
source scripts/java-home.sh
if [ ! -f cli/target/kubeboot.jar ] || [ ! -f testing/target/kubeboot-testing.jar ]; then
  echo "building kubeboot ..."
  ./mvnw -B -q -DskipTests package
fi

# A previous quickstart's control plane is reset first, so the command can be run again.
if [ -d "$dir/kubernetes" ]; then
  ./kubeboot reset --force --config docs/examples/quickstart.yaml --kubernetes-dir "$dir/kubernetes" >/dev/null || true
fi

PATH="$PWD/testing/bin:$PATH" ./kubeboot init \
  --config docs/examples/quickstart.yaml \
  --kubernetes-dir "$dir/kubernetes" \
  --container-runtime process
echo
./kubeboot status --kubernetes-dir "$dir/kubernetes"
