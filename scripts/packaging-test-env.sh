#!/usr/bin/env bash
# Makes ready what the packaging module's build and integration tests need, idempotently:
# - Debian packages, only when missing: binutils (strip, for the release build's runtime),
#   lintian (checks the .deb), systemd (systemd-analyze verify checks the unit; systemd need not
#   run), debootstrap
# - a minimal Debian root of this host's release (debootstrap --variant=minbase, from the mirror
#   apt is configured with), cached as a tarball: DebianPackageIT installs the .deb into a fresh
#   copy of it, a root with no JDK at all. Made once, a few minutes.
#   tarball /var/lib/kubeboot-test-packaging/<codename>-minbase.tar
# Usage: scripts/packaging-test-env.sh     (as root; scripts/test.sh runs it before the build)
set -euo pipefail

ROOT=/var/lib/kubeboot-test-packaging

log() { echo "packaging-test-env: $*"; }

need=()
command -v strip >/dev/null || need+=(binutils)
command -v lintian >/dev/null || need+=(lintian)
command -v systemd-analyze >/dev/null || need+=(systemd)
command -v debootstrap >/dev/null || need+=(debootstrap)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The first mirror apt fetches this release from (deb822 .sources files, then sources.list).
apt_mirror() {
  local codename=$1 f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v want="$codename" '
      /^[[:space:]]*$/ { if (uri != "" && hit) { print uri; exit } uri = ""; hit = 0; next }
      tolower($1) == "uris:" { uri = $2 }
      tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i == want) hit = 1 }
      END { if (uri != "" && hit) print uri }' "$f" | head -1
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk -v want="$codename" '$1 == "deb" && $0 !~ /\[/ && $3 == want { print $2; exit }
      $1 == "deb" && $0 ~ /\[/ { for (i = 2; i <= NF; i++) if ($i ~ /\]$/) { if ($(i+2) == want) print $(i+1); break } }' "$f"
  done
}

codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
tarball="$ROOT/$codename-minbase.tar"
if [ -s "$tarball" ]; then
  log "Debian $codename root ready: $tarball"
  exit 0
fi
mirror=$(apt_mirror "$codename" | head -1)
[ -n "$mirror" ] || { log "no apt source for $codename found to debootstrap from" >&2; exit 1; }
mkdir -p "$ROOT"
work=$(mktemp -d "$ROOT/bootstrap.XXXXXX")
trap 'rm -rf "$work"' EXIT
log "debootstrap --variant=minbase $codename from $mirror (once; log $work/debootstrap.log)"
if ! timeout 1200 debootstrap --variant=minbase "$codename" "$work/root" "$mirror" \
    >"$work/debootstrap.log" 2>&1; then
  tail -20 "$work/debootstrap.log" >&2
  exit 1
fi
tar -C "$work/root" --numeric-owner -cf "$tarball.tmp" .
mv "$tarball.tmp" "$tarball"
log "Debian $codename root ready: $tarball ($(du -h "$tarball" | cut -f1))"
