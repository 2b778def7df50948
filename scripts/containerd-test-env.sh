#!/usr/bin/env bash
# Makes a PRIVATE containerd with the CRI plugin and the local test images ready for the CRI
# runtime's integration tests. Never touches Docker's own containerd (its CRI plugin is off).
# Idempotent: installs Debian's containerd, runc, busybox-static, etcd-server and the CNI plugins
# only when missing, starts containerd only when its socket does not answer (and restarts the one
# it started when its config has changed since), imports an image only when it is absent. Every
# wait is bounded, so CI never hangs on it.
#   socket  /run/kubeboot-test-containerd/containerd.sock   (CRI runtime.v1 and containerd's API)
#   root    /var/lib/kubeboot-test-containerd, state /run/kubeboot-test-containerd
#   log     /var/log/kubeboot-test-containerd.log
#   CNI     plugins from /usr/lib/cni (Debian's containernetworking-plugins), configs from
#           /var/lib/kubeboot-test-containerd/cni/net.d (where the runner writes its pod network)
#   pulls   docker.io through the private registry of scripts/registry-test-env.sh (its mirror)
# KUBEBOOT_TEST_CONTAINERD=NAME makes a second instance under /var/lib/NAME, /run/NAME instead.
# No registry is reachable here: images are docker-save tars built from host binaries (no Docker
# needed) and imported with `ctr -n k8s.io images import`:
#   kubeboot.test/pause:1           busybox-static `sleep infinity`, the sandbox image
#   kubeboot.test/busybox:1         busybox-static: /bin/sh, /bin/sleep and the other applets
#   registry.k8s.io/etcd:3.4.23-0   Debian's etcd plus the libraries ldd lists (no shell)
# With --stand-in-images JAR VERSION it also imports the control-plane stand-ins (test doubles, see
# testing/README.md) as the images kubeadm's manifests name, for the init end-to-end test on CRI:
#   registry.k8s.io/kube-apiserver:VERSION, kube-controller-manager:VERSION, kube-scheduler:VERSION
#   one shared layer: a jlink'ed JRE from the JDK of scripts/java-home.sh, JAR, busybox-static's sh
#   and /usr/local/bin/<component> launchers. Skipped when the images carry the label
#   dev.kubeboot.test/content=<hash of JAR's entries, the JDK and this layout>; the JRE is cached
#   under $ROOT/cache, so a changed JAR costs one tar and one import.
# Usage: scripts/containerd-test-env.sh [--stand-in-images JAR VERSION]     (as root)
set -euo pipefail

STAND_IN_JAR=
STAND_IN_VERSION=
if [ "${1:-}" = --stand-in-images ]; then
  [ $# -eq 3 ] || { echo "usage: $0 [--stand-in-images JAR VERSION]" >&2; exit 2; }
  STAND_IN_JAR=$(readlink -f "$2")
  STAND_IN_VERSION=$3
  [ -f "$STAND_IN_JAR" ] || { echo "containerd-test-env: no stand-in jar $2" >&2; exit 2; }
elif [ $# -gt 0 ]; then
  echo "usage: $0 [--stand-in-images JAR VERSION]" >&2
  exit 2
fi

NAME=${KUBEBOOT_TEST_CONTAINERD:-kubeboot-test-containerd}
ROOT=/var/lib/$NAME
STATE=/run/$NAME
SOCK=$STATE/containerd.sock
CONFIG=$ROOT/config.toml
LOG=/var/log/$NAME.log
CNI_BIN_DIR=/usr/lib/cni
CNI_CONF_DIR=$ROOT/cni/net.d
REGISTRY=127.0.0.1:5787
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
command -v unzip >/dev/null || need+=(unzip)
command -v curl >/dev/null || need+=(curl)
[ -x "$CNI_BIN_DIR/bridge" ] || need+=(containernetworking-plugins)
command -v iptables >/dev/null || need+=(iptables)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  timeout 300 apt-get update -qq
  timeout 600 apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

mkdir -p "$ROOT" "$STATE" "$CNI_CONF_DIR"
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

# Pods without hostNetwork: the runner writes its bridge network into conf_dir.
[plugins."io.containerd.grpc.v1.cri".cni]
  bin_dir = "$CNI_BIN_DIR"
  conf_dir = "$CNI_CONF_DIR"
  max_conf_num = 1

# No registry outside this machine: docker.io comes from the private test registry.
[plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]
  endpoint = ["http://$REGISTRY"]
EOF
mv "$ROOT/.config.toml.tmp" "$CONFIG"

answers() { timeout 5 ctr --address "$SOCK" version >/dev/null 2>&1; }

# A containerd this script started with another config is restarted (its pid and the config it
# was given are kept under $STATE); one started otherwise is left alone with a warning.
if answers && ! cmp -s "$CONFIG" "$STATE/config.started.toml"; then
  pid=$(cat "$STATE/containerd.pid" 2>/dev/null || true)
  if [ -n "$pid" ] && [ -f "$STATE/config.started.toml" ] &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "containerd --config $CONFIG"; then
    log "the config of the containerd on $SOCK changed: restarting it (pid $pid)"
    kill "$pid"
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  else
    log "WARNING: the containerd on $SOCK was not started with the current $CONFIG (CNI dirs," \
      "registry mirror); pods without hostNetwork need them: restart it (stop it, run this again)" >&2
  fi
fi

if ! answers; then
  log "starting a private containerd on $SOCK (log: $LOG)"
  rm -f "$SOCK" "$SOCK.ttrpc"
  # A network an earlier run (a test or bench/p8) left in this private conf dir would make the new
  # containerd report NetworkReady from its start; the tests that need one write their own.
  find "$CNI_CONF_DIR" -mindepth 1 -delete
  cp "$CONFIG" "$STATE/config.started.toml"
  setsid containerd --config "$CONFIG" >"$LOG" 2>&1 </dev/null &
  echo $! >"$STATE/containerd.pid"
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

# "nginx" as the Kubernetes docs' static pod names it (no tag: always pulled), in the private
# registry that this containerd takes docker.io from.
bash "$(dirname "$(readlink -f "$0")")/registry-test-env.sh"
if ! curl -sf -o /dev/null --max-time 5 \
  -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
  "http://$REGISTRY/v2/library/nginx/manifests/latest"; then
  root=$(mktemp -d)
  busybox_root "$root"
  mkdir -p "$root/usr/share/nginx/html"
  echo '<h1>kubeboot test nginx (busybox httpd)</h1>' >"$root/usr/share/nginx/html/index.html"
  import_image "$REGISTRY/library/nginx:latest" "$root" \
    '{"Entrypoint":["/bin/httpd","-f","-p","80","-h","/usr/share/nginx/html"],"Env":["PATH=/bin"],"ExposedPorts":{"80/tcp":{}}}'
  ctr_ images push --plain-http "$REGISTRY/library/nginx:latest" >/dev/null
  ctr_ images rm "$REGISTRY/library/nginx:latest" >/dev/null
  rm -rf "$root"
  log "pushed nginx (busybox httpd) to $REGISTRY"
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

[ -n "$STAND_IN_JAR" ] || exit 0

# ---- control-plane stand-ins (test doubles) as kubeadm's images ----
STAND_IN_COMPONENTS=(kube-apiserver kube-controller-manager kube-scheduler)
# What the stand-ins need (jdeps --print-module-deps on the shaded jar), plus what libraries load
# reflectively (management, logging).
JRE_MODULES=java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.net.http,java.sql,jdk.crypto.ec,jdk.jfr,jdk.unsupported
# Bump when the layout below changes, so cached images are rebuilt.
STAND_IN_LAYOUT=1
source "$(dirname "$(readlink -f "$0")")/java-home.sh"

# Serialises builds by test runs sharing this containerd.
exec 9>"$ROOT/.stand-in-images.lock"
timeout 600 flock 9 || { log "another run held $ROOT/.stand-in-images.lock for 10 min" >&2; exit 1; }

jre_key=$( { echo "$JAVA_HOME $JRE_MODULES"; cat "$JAVA_HOME/release"; } | sha256sum | cut -c1-16)
# The jar's entry names and contents, not the file: its timestamps change on every build.
jar_sum=$( { unzip -Z1 "$STAND_IN_JAR"; unzip -p "$STAND_IN_JAR"; } | sha256sum | cut -c1-16)
content="$jre_key-$jar_sum-$STAND_IN_LAYOUT"
LABEL=dev.kubeboot.test/content

labelled() { ctr_ images ls "name==$1" 2>/dev/null | grep -F "$LABEL=$content" >/dev/null; }
fresh=yes
for c in "${STAND_IN_COMPONENTS[@]}"; do
  labelled "registry.k8s.io/$c:$STAND_IN_VERSION" || fresh=no
done
if [ $fresh = yes ]; then
  log "stand-in images $STAND_IN_VERSION are up to date ($content)"
  exit 0
fi

jre="$ROOT/cache/jre-$jre_key"
if [ ! -x "$jre/bin/java" ]; then
  log "jlink: a JRE with $JRE_MODULES (cached in $jre)"
  rm -rf "$jre" "$jre.tmp"
  mkdir -p "$ROOT/cache"
  timeout 300 "$JAVA_HOME/bin/jlink" --add-modules "$JRE_MODULES" --strip-debug --no-header-files \
    --no-man-pages --generate-cds-archive --output "$jre.tmp" >/dev/null
  mv "$jre.tmp" "$jre"
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/opt/kubeboot" "$root/usr/local/bin" "$root/tmp" "$root/etc" "$root/root"
chmod 1777 "$root/tmp"
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"
install -D -m 0755 /bin/busybox "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cp -a "$jre" "$root/opt/kubeboot/jre"
install -m 0644 "$STAND_IN_JAR" "$root/opt/kubeboot/kubeboot-testing.jar"
# The JRE's libraries; what ldd does not find here (e.g. X11 for AWT) is never loaded headless.
for so in "$root/opt/kubeboot/jre/bin/java" $(find "$root/opt/kubeboot/jre/lib" -name '*.so'); do
  for lib in $(ldd "$so" 2>/dev/null | grep -o '/[^ ]*' | grep -v "^$root" || true); do
    [ -e "$root$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
  done
done
for c in "${STAND_IN_COMPONENTS[@]}"; do
  # The JVM flags of testing/bin/<component>, without the CDS archive (the image is read-only
  # to it and every restart is a new container).
  cat >"$root/usr/local/bin/$c" <<LAUNCHER
#!/bin/sh
# $c stand-in (test double) for kubeboot's end-to-end tests: NOT the real $c.
exec /opt/kubeboot/jre/bin/java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xmx128m \\
  -XX:ReservedCodeCacheSize=32m -XX:-UsePerfData -jar /opt/kubeboot/kubeboot-testing.jar $c "\$@"
LAUNCHER
  chmod 0755 "$root/usr/local/bin/$c"
done

# One docker-save tar with the three images over one layer.
work=$(mktemp -d)
trap 'rm -rf "$root" "$work"' EXIT
tar --numeric-owner --owner=0 --group=0 -C "$root" -cf "$work/layer.tar" .
layer_sum=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
mkdir "$work/$layer_sum"
mv "$work/layer.tar" "$work/$layer_sum/layer.tar"
entries=()
configs=()
for c in "${STAND_IN_COMPONENTS[@]}"; do
  printf '{"architecture":"amd64","os":"linux","config":{"Entrypoint":["/usr/local/bin/%s"],"Env":["PATH=/usr/local/bin:/usr/bin:/bin","KUBEBOOT_STANDIN_VERSION=%s"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$c" "$STAND_IN_VERSION" "$layer_sum" >"$work/config.json"
  config_sum=$(sha256sum "$work/config.json" | cut -d' ' -f1)
  mv "$work/config.json" "$work/$config_sum.json"
  configs+=("$config_sum.json")
  entries+=("$(printf '{"Config":"%s.json","RepoTags":["registry.k8s.io/%s:%s"],"Layers":["%s/layer.tar"]}' \
    "$config_sum" "$c" "$STAND_IN_VERSION" "$layer_sum")")
done
(IFS=,; printf '[%s]' "${entries[*]}") >"$work/manifest.json"
tarball="$work/stand-ins.tar"
(cd "$work" && tar -cf "$tarball" manifest.json "${configs[@]}" "$layer_sum")
timeout 180 ctr --address "$SOCK" -n k8s.io images import "$tarball" >/dev/null
for c in "${STAND_IN_COMPONENTS[@]}"; do
  ref="registry.k8s.io/$c:$STAND_IN_VERSION"
  ctr_ images label "$ref" "$LABEL=$content" >/dev/null
  labelled "$ref" || { log "importing $ref failed" >&2; exit 1; }
done
log "imported the stand-in images registry.k8s.io/{${STAND_IN_COMPONENTS[*]}}:$STAND_IN_VERSION ($content)"
