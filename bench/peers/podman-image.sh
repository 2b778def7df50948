#!/usr/bin/env bash
# Makes localhost/benchsleep:1 for the podman peer: /bin/sleep and the libraries ldd lists,
# imported with `podman import` (no registry is reachable here).
set -euo pipefail
if [ ! -f /etc/containers/containers.conf ]; then
  # rootful podman on this VM has no CAP_SYS_RESOURCE for its default ulimits
  mkdir -p /etc/containers
  printf '[containers]\ndefault_ulimits = ["nofile=20000:20000","nproc=32768:32768"]\n' > /etc/containers/containers.conf
fi
t=$(mktemp -d)
mkdir -p "$t/root/bin"
cp /usr/bin/sleep "$t/root/bin/"
for l in $(ldd /usr/bin/sleep | grep -o '/lib[^ ]*'); do cp --parents -L "$l" "$t/root/"; done
tar -C "$t/root" -cf "$t/sleep.tar" .
podman import "$t/sleep.tar" localhost/benchsleep:1 >/dev/null
rm -rf "$t"
