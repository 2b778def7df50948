#!/usr/bin/env bash
# What only the Debian package holds, laid out as installed under DIR: the runner's unit (running
# /usr/bin/kubeboot), the copyright file, the changelog a native package carries and lintian's
# overrides (each with its reason).
# usage: deb-stage.sh DIR DEBIAN_VERSION
set -euo pipefail
dir=$1
version=$2
here="$(cd "$(dirname "$0")" && pwd)"
rm -rf "$dir"
mkdir -p "$dir/lib/systemd/system" "$dir/usr/share/doc/kubeboot" "$dir/usr/share/lintian/overrides"
sed "s|@BINDIR@|/usr/bin|" "$here/../main/systemd/kubeboot-runner.service" \
  > "$dir/lib/systemd/system/kubeboot-runner.service"
cp "$here/copyright" "$dir/usr/share/doc/kubeboot/copyright"
cp "$here/lintian-overrides" "$dir/usr/share/lintian/overrides/kubeboot"
cat > "$dir/usr/share/doc/kubeboot/changelog" <<CHANGELOG
kubeboot ($version) unstable; urgency=medium

  * Built from the kubeboot source tree.

 -- kubeboot developers <dev@kubeboot.dev>  $(date -R)
CHANGELOG
gzip -9n "$dir/usr/share/doc/kubeboot/changelog"
