#!/usr/bin/env bash
# Makes a Docker engine and the local test images ready for the Docker runtime's integration tests.
# Idempotent: installs Debian's docker.io (and busybox-static, etcd-server) only when missing, starts
# dockerd only when `docker info` fails, and re-imports an image only when its tag is absent.
# No registry is reachable here, so the images are built with `docker import` from host binaries:
#   registry.k8s.io/etcd:3.4.23-0   Debian's etcd plus the libraries ldd lists (no shell)
#   kubeboot.test/busybox:1         busybox-static: /bin/sh, /bin/sleep and the other applets
#   kubeboot.test/pause:1           the pod sandbox image: busybox sh waiting for SIGTERM
# and, in the private registry of scripts/registry-test-env.sh, which dockerd is given as its
# Docker Hub mirror (registry-mirrors in /etc/docker/daemon.json, reloaded with SIGHUP):
#   nginx (docker.io/library/nginx:latest)  busybox httpd serving a page on port 80
# Usage: scripts/docker-test-env.sh     (as root; scripts/test.sh runs it before the build)
set -euo pipefail

ETCD_IMAGE=registry.k8s.io/etcd:3.4.23-0
BUSYBOX_IMAGE=kubeboot.test/busybox:1
PAUSE_IMAGE=kubeboot.test/pause:1
REGISTRY=127.0.0.1:5787
MIRROR=http://$REGISTRY

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

busybox_root() {
  local root=$1 applet
  install -D -m 0755 /bin/busybox "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
  done
  mkdir -p "$root/tmp" "$root/etc" "$root/root"
  echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
  echo 'root:x:0:' >"$root/etc/group"
}

if ! docker image inspect "$PAUSE_IMAGE" >/dev/null 2>&1; then
  root=$(mktemp -d)
  busybox_root "$root"
  # A pause that ends at once on SIGTERM, as the real one does.
  import_image "$PAUSE_IMAGE" "$root" --change 'ENV PATH=/bin' \
    --change 'ENTRYPOINT ["/bin/sh", "-c", "trap \"exit 0\" TERM INT; sleep infinity & wait"]'
  rm -rf "$root"
fi

# The private registry, and dockerd using it as its Docker Hub mirror.
bash "$(dirname "$(readlink -f "$0")")/registry-test-env.sh"
if ! docker info --format '{{json .RegistryConfig.Mirrors}}' 2>/dev/null | grep -qF "$MIRROR"; then
  mkdir -p /etc/docker
  /usr/bin/python3 - "$MIRROR" <<'PY'
import json, os, sys
path = "/etc/docker/daemon.json"
config = json.load(open(path)) if os.path.exists(path) else {}
mirrors = config.setdefault("registry-mirrors", [])
if sys.argv[1] + "/" not in mirrors and sys.argv[1] not in mirrors:
    mirrors.append(sys.argv[1])
tmp = path + ".tmp"
with open(tmp, "w") as f:
    json.dump(config, f, indent=2)
os.replace(tmp, path)
PY
  log "dockerd: registry mirror $MIRROR (reloading its configuration)"
  kill -HUP "$(pidof dockerd)"
  for _ in $(seq 1 20); do
    docker info --format '{{json .RegistryConfig.Mirrors}}' | grep -qF "$MIRROR" && break
    sleep 0.25
  done
fi

# "nginx" as the Kubernetes docs' static pod names it: pulled from the mirror.
if ! curl -sf -o /dev/null --max-time 5 \
  -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
  "http://$REGISTRY/v2/library/nginx/manifests/latest"; then
  root=$(mktemp -d)
  busybox_root "$root"
  mkdir -p "$root/usr/share/nginx/html"
  echo '<h1>kubeboot test nginx (busybox httpd)</h1>' >"$root/usr/share/nginx/html/index.html"
  import_image "$REGISTRY/library/nginx:latest" "$root" --change 'ENV PATH=/bin' \
    --change 'EXPOSE 80' \
    --change 'ENTRYPOINT ["/bin/httpd", "-f", "-p", "80", "-h", "/usr/share/nginx/html"]'
  docker push -q "$REGISTRY/library/nginx:latest" >/dev/null
  docker image rm "$REGISTRY/library/nginx:latest" >/dev/null
  rm -rf "$root"
  log "pushed nginx (busybox httpd) to $REGISTRY"
fi
