#!/usr/bin/env bash
# Makes a PRIVATE containerd with the CRI plugin and the local test images ready for the CRI
# runtime's integration tests. Never touches Docker's own containerd (its CRI plugin is off).
# Idempotent: installs Debian's containerd, runc, busybox-static and etcd-server only when missing,
# starts containerd only when its socket does not answer, imports an image only when it is absent.
# Every wait is bounded, so CI never hangs on it.
#   socket  /run/kubeboot-test-containerd/containerd.sock   (CRI runtime.v1 and containerd's API)
#   root    /var/lib/kubeboot-test-containerd, state /run/kubeboot-test-containerd
#   log     /var/log/kubeboot-test-containerd.log
# No registry is reachable here: images are docker-save tars built from host binaries (no Docker
# needed) and imported with `ctr -n k8s.io images import`:
#   kubeboot.test/pause:1           busybox-static `sleep infinity`, the sandbox image
#   kubeboot.test/busybox:1         busybox-static: /bin/sh, /bin/sleep and the other applets
#   registry.k8s.io/etcd:3.4.23-0   Debian's etcd plus the libraries ldd lists (no shell)
# Usage: scripts/containerd-test-env.sh     (as root)
set -euo pipefail

ROOT=/var/lib/kubeboot-test-containerd
STATE=/run/kubeboot-test-containerd
SOCK=$STATE/containerd.sock
CONFIG=$ROOT/config.toml
LOG=/var/log/kubeboot-test-containerd.log
PAUSE_IMAGE=kubeboot.test/pause:1
BUSYBOX_IMAGE=kubeboot.test/busybox:1
ETCD_IMAGE=registry.k8s.io/etcd:3.4.23-0

log() { echo "containerd-test-env: $*"; }
ctr_() { timeout 20 ctr --address "$SOCK" -n k8s.io "$@"; }

need=()
command -v containerd >/dev/null || need+=(containerd)
command -v runc >/dev/null || need+=(runc)
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
command -v etcd >/dev/null || need+=(etcd-server)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  timeout 300 apt-get update -qq
  timeout 600 apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

mkdir -p "$ROOT" "$STATE"
cat >"$ROOT/.config.toml.tmp" <<EOF
# Written by scripts/containerd-test-env.sh: a private containerd for kubeboot's CRI tests.
version = 2
root = "$ROOT"
state = "$STATE"

[grpc]
  address = "$SOCK"

[ttrpc]
  address = "$SOCK.ttrpc"

[debug]
  address = "$STATE/debug.sock"

[metrics]
  address = ""

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  # Required here: no CAP_SYS_RESOURCE, and RunPodSandbox fails without it.
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true

[plugins."io.containerd.grpc.v1.cri".containerd]
  snapshotter = "overlayfs"
  default_runtime_name = "runc"

[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"

[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
  Root = "$STATE/runc"
EOF
mv "$ROOT/.config.toml.tmp" "$CONFIG"

answers() { timeout 5 ctr --address "$SOCK" version >/dev/null 2>&1; }

if ! answers; then
  log "starting a private containerd on $SOCK (log: $LOG)"
  rm -f "$SOCK" "$SOCK.ttrpc"
  setsid containerd --config "$CONFIG" >"$LOG" 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    answers && break
    sleep 0.5
  done
  if ! answers; then
    log "containerd did not answer on $SOCK within 30 s; last lines of $LOG:" >&2
    tail -n 20 "$LOG" >&2 || true
    exit 1
  fi
fi
if ! timeout 10 ctr --address "$SOCK" plugins ls 2>/dev/null | grep -E 'io.containerd.grpc.v1 +cri .*ok' >/dev/null; then
  log "the CRI plugin of the containerd on $SOCK is not loaded; see $LOG" >&2
  exit 1
fi
log "containerd $(timeout 5 ctr --address "$SOCK" version 2>/dev/null | awk '/Version:/ {v=$2} END {print v}') on $SOCK"

# Copies a binary and every library ldd lists into a root directory, at the same paths.
copy_with_libs() {
  local root=$1 bin=$2 lib
  install -D -m 0755 "$bin" "$root$bin"
  for lib in $(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*' || true); do
    install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
  done
}

# Writes a docker-save format tar (manifest.json, config, one layer) of a root directory.
# $3 is the image config's "config" object as JSON.
save_image() {
  local tag=$1 root=$2 config=$3 out=$4 work layer_sum config_sum
  work=$(mktemp -d)
  tar --numeric-owner --owner=0 --group=0 -C "$root" -cf "$work/layer.tar" .
  layer_sum=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
  printf '{"architecture":"amd64","os":"linux","config":%s,"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$config" "$layer_sum" >"$work/config.json"
  config_sum=$(sha256sum "$work/config.json" | cut -d' ' -f1)
  mv "$work/config.json" "$work/$config_sum.json"
  mkdir "$work/$layer_sum"
  mv "$work/layer.tar" "$work/$layer_sum/layer.tar"
  printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]' \
    "$config_sum" "$tag" "$layer_sum" >"$work/manifest.json"
  tar -C "$work" -cf "$out" manifest.json "$config_sum.json" "$layer_sum"
  rm -rf "$work"
}

present() { ctr_ images ls -q 2>/dev/null | grep -Fx "$1" >/dev/null; }

import_image() {
  local tag=$1 root=$2 config=$3 tarball
  tarball=$(mktemp --suffix=.tar)
  save_image "$tag" "$root" "$config" "$tarball"
  ctr_ images import "$tarball" >/dev/null
  rm -f "$tarball"
  present "$tag" || { log "importing $tag failed" >&2; exit 1; }
  log "imported $tag"
}

busybox_root() {
  local root=$1 applet
  install -D -m 0755 /bin/busybox "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
  done
  mkdir -p "$root/tmp" "$root/etc" "$root/root" "$root/proc" "$root/sys" "$root/dev"
  echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
  echo 'root:x:0:' >"$root/etc/group"
}

if ! present "$PAUSE_IMAGE"; then
  root=$(mktemp -d)
  busybox_root "$root"
  import_image "$PAUSE_IMAGE" "$root" \
    '{"Entrypoint":["/bin/sleep","infinity"],"Env":["PATH=/bin"]}'
  rm -rf "$root"
fi

if ! present "$BUSYBOX_IMAGE"; then
  root=$(mktemp -d)
  busybox_root "$root"
  import_image "$BUSYBOX_IMAGE" "$root" '{"Cmd":["/bin/sh"],"Env":["PATH=/bin"]}'
  rm -rf "$root"
fi

if ! present "$ETCD_IMAGE"; then
  root=$(mktemp -d)
  copy_with_libs "$root" "$(readlink -f "$(command -v etcd)")"
  [ -e "$root/usr/local/bin/etcd" ] || install -D -m 0755 "$(readlink -f "$(command -v etcd)")" "$root/usr/local/bin/etcd"
  mkdir -p "$root/tmp" "$root/var/lib/etcd"
  import_image "$ETCD_IMAGE" "$root" \
    '{"Entrypoint":["/usr/local/bin/etcd"],"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]}'
  rm -rf "$root"
fi
