#!/usr/bin/env bash
# Makes a Docker engine and the local test images ready for the Docker runtime's integration tests.
# Idempotent: installs Debian's docker.io (and busybox-static, etcd-server) only when missing, starts
# dockerd only when `docker info` fails, and re-imports an image only when its tag is absent.
# No registry is reachable here, so the images are built with `docker import` from host binaries:
#   registry.k8s.io/etcd:3.4.23-0   Debian's etcd plus the libraries ldd lists (no shell)
#   kubeboot.test/busybox:1         busybox-static: /bin/sh, /bin/sleep and the other applets
# Usage: scripts/docker-test-env.sh     (as root; scripts/test.sh runs it before the build)
set -euo pipefail

ETCD_IMAGE=registry.k8s.io/etcd:3.4.23-0
BUSYBOX_IMAGE=kubeboot.test/busybox:1

log() { echo "docker-test-env: $*"; }

need=()
command -v dockerd >/dev/null || need+=(docker.io)
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
command -v etcd >/dev/null || need+=(etcd-server)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  log "starting dockerd (log: /var/log/dockerd.log)"
  setsid dockerd >/var/log/dockerd.log 2>&1 < /dev/null &
  for _ in $(seq 1 120); do
    docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  if ! docker info >/dev/null 2>&1; then
    log "dockerd did not answer within 60 s; last lines of /var/log/dockerd.log:" >&2
    tail -n 20 /var/log/dockerd.log >&2 || true
    exit 1
  fi
fi
log "docker engine $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"

# Copies a binary and every library ldd lists into a root directory, at the same paths.
copy_with_libs() {
  local root=$1 bin=$2 lib
  install -D -m 0755 "$bin" "$root$bin"
  for lib in $(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*' || true); do
    install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
  done
}

import_image() {
  local tag=$1 root=$2
  shift 2
  tar -C "$root" -c . | docker import "$@" - "$tag" >/dev/null
  log "imported $tag"
}

if ! docker image inspect "$ETCD_IMAGE" >/dev/null 2>&1; then
  root=$(mktemp -d)
  copy_with_libs "$root" "$(readlink -f "$(command -v etcd)")"
  [ -e "$root/usr/local/bin/etcd" ] || install -D -m 0755 "$(readlink -f "$(command -v etcd)")" "$root/usr/local/bin/etcd"
  mkdir -p "$root/tmp" "$root/var/lib/etcd"
  import_image "$ETCD_IMAGE" "$root" --change 'ENTRYPOINT ["/usr/local/bin/etcd"]'
  rm -rf "$root"
fi

if ! docker image inspect "$BUSYBOX_IMAGE" >/dev/null 2>&1; then
  root=$(mktemp -d)
  install -D -m 0755 /bin/busybox "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
  done
  mkdir -p "$root/tmp" "$root/etc" "$root/root"
  echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
  echo 'root:x:0:' >"$root/etc/group"
  import_image "$BUSYBOX_IMAGE" "$root" \
    --change 'ENV PATH=/bin' --change 'CMD ["/bin/sh"]'
  rm -rf "$root"
fi
