#!/usr/bin/env bash
# Lays out the release tree that the archive and the Debian package are made from (run by the
# packaging module's package phase):
#   bin/kubeboot                        the launcher (never builds, needs no JDK)
#   lib/kubeboot.jar, kubeboot-libs.jar  the jars (the archive and the package keep their times:
#                                       the AOT cache checks them)
#   lib/kubeboot.aot[.java]             the AOT cache, trained on runtime/ through this very tree
#   lib/jvm-opts.sh                     the JVM flags per command (shared with ./kubeboot)
#   runtime/                            a jlink'ed Java runtime with only the modules kubeboot uses
#   share/man/man1/*.1.gz               man pages, from `kubeboot docs man`
#   share/bash-completion/completions/kubeboot, share/zsh/site-functions/_kubeboot
#   systemd/kubeboot-runner.service     the unit, for a /usr/local install (the .deb has its own)
#   LICENSE
# The AOT cache is made last but one: it fits only the runtime and jars it was trained with.
# Then packs it into ARCHIVE (.tar.gz, one top directory named as STAGE), modes and times kept.
# usage: stage.sh JDK REPO STAGE MODULES ARCHIVE
#   JDK: the JDK to jlink from; REPO: the source tree (cli/target holds the jars); STAGE: the tree
#   to make (replaced); MODULES: comma-separated modules for jlink
set -euo pipefail
jdk=$1
repo=$(readlink -f "$2")
stage=$3
modules=$4
archive=$5
here="$(cd "$(dirname "$0")" && pwd)"
main="$(dirname "$here")"

rm -rf "$stage"
mkdir -p "$stage"/{bin,lib,share/man/man1,share/bash-completion/completions,share/zsh/site-functions,systemd}
install -m 0755 "$main/bin/kubeboot" "$stage/bin/kubeboot"
install -m 0644 "$repo/scripts/jvm-opts.sh" "$stage/lib/jvm-opts.sh"
install -m 0644 "$repo/LICENSE" "$stage/LICENSE"
cp -p "$repo/cli/target/kubeboot.jar" "$stage/lib/"
# The libraries jar with its entries stored, not deflated: gzip and xz over the whole archive then
# compress the class files together, 7.6 MB better than the jar's one-by-one deflate (the archive
# is what an operator downloads; see docs/performance.md).
unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
(cd "$unpacked" && "$jdk/bin/jar" --extract --file "$repo/cli/target/kubeboot-libs.jar")
"$jdk/bin/jar" --create --no-compress --file "$stage/lib/kubeboot-libs.jar" \
  --manifest "$unpacked/META-INF/MANIFEST.MF" -C "$unpacked" .
chmod 0644 "$stage"/lib/*.jar
sed "s|@BINDIR@|/usr/local/bin|" "$main/systemd/kubeboot-runner.service" > "$stage/systemd/kubeboot-runner.service"

# A headless runtime: the desktop module stays (java.beans, which FreeMarker's object wrapper
# introspects with), its X11, sound, font and image natives do not (they would also make the
# package depend on X11 and ALSA libraries), nor jwebserver. One CDS archive, for compressed oops
# (heaps below 32 GiB: the runner's is 256 MiB), not a second one for larger heaps.
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --exclude-files='**/libawt_xawt.so,**/libjawt.so,**/libsplashscreen.so,**/libjsound.so,**/libfontmanager.so,**/libfreetype.so,**/liblcms.so,**/libmlib_image.so,**/libjavajpeg.so,**/bin/jwebserver' \
  --generate-cds-archive --output "$stage/runtime" >/dev/null
rm -f "$stage/runtime/lib/server/classes_nocoops.jsa"
# Files as a package has them (jlink makes the license texts read-only), and the native code
# without its symbol tables (libjvm.so alone: 30 -> 25 MB).
chmod -R u+w,go-w "$stage/runtime"
if command -v strip >/dev/null; then
  find "$stage/runtime" -type f -print0 |
    while IFS= read -r -d '' f; do
      if [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ]; then strip --strip-unneeded "$f"; fi
    done
else
  echo "stage: WARNING: no strip (binutils): the runtime's libraries keep their symbol tables" >&2
fi

java="$stage/runtime/bin/java"
"$java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$stage/lib/kubeboot.jar" docs man \
  --dir "$stage/share/man/man1" >/dev/null
gzip -9n "$stage"/share/man/man1/*.1
# bash-completion sources the file: no #! line
"$java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$stage/lib/kubeboot.jar" completion bash |
  sed '1{/^#!/d}' > "$stage/share/bash-completion/completions/kubeboot"
"$java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$stage/lib/kubeboot.jar" completion zsh \
  > "$stage/share/zsh/site-functions/_kubeboot"

# kubeboot.aot.java records ../runtime: the launcher accepts the cache with the runtime beside it
# wherever the tree is unpacked or installed.
"$repo/scripts/aot-train.sh" "$stage/runtime" "$stage/lib/kubeboot.jar" ../runtime
[ -f "$stage/lib/kubeboot.aot" ] || { echo "stage: no AOT cache was made (see above)" >&2; exit 1; }

mkdir -p "$(dirname "$archive")"
tar -C "$(dirname "$stage")" --sort=name --owner=0 --group=0 --numeric-owner -czf "$archive.tmp" \
  "$(basename "$stage")"
mv "$archive.tmp" "$archive"
echo "stage: $stage ($(du -sh "$stage" | cut -f1)) -> $archive ($(du -h "$archive" | cut -f1))"
