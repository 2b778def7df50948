#!/usr/bin/env bash
# Builds the AOT cache the launcher starts kubeboot with (JDK 24+: -XX:AOTCacheOutput), from one
# training `init` (RSA-2048, into a temp dir). The cache only fits the jar it was made from, at the
# same path, and the same JDK: the launcher checks kubeboot.aot.java and the files' ages.
# Without it kubeboot works the same, only slower to start, so a failure here is a warning.
# usage: scripts/aot-train.sh JAVA_HOME JAR [RUNTIME_NAME]
#   RUNTIME_NAME: what kubeboot.aot.java records (scripts/jvm-opts.sh compares it with the runtime
#   it starts): JAVA_HOME's absolute path by default (the cli module's package phase), or a path
#   relative to the jar's directory for a layout that moves with its runtime (the release build
#   writes ../runtime).
set -uo pipefail
java_home=$(readlink -f "$1")
jar=$(readlink -f "$2")
runtime_name=${3:-$java_home}
dir=$(dirname "$jar")
cache="$dir/kubeboot.aot"
tmp="$dir/.kubeboot.aot.tmp"
work=$(mktemp -d)
trap 'rm -rf "$work" "$tmp" "$tmp.config"' EXIT
rm -f "$cache" "$cache.java"
if ! "$java_home/bin/java" -XX:AOTCacheOutput="$tmp" -XX:+UseSerialGC -jar "$jar" init \
    --kubernetes-dir "$work/kubernetes" --skip-phases preflight,runner-start,wait-control-plane \
    --apiserver-advertise-address 127.0.0.1 --node-name aot-training >"$work/out.txt" 2>&1; then
  echo "aot-train: WARNING: no AOT cache (kubeboot starts without one):" >&2
  tail -5 "$work/out.txt" >&2
  exit 0
fi
mv "$tmp" "$cache"
echo "$runtime_name" > "$cache.java"
echo "aot-train: $cache ($(du -h "$cache" | cut -f1)) for $java_home"
