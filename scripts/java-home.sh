# Sourced: picks a JDK >= 21 for the build and the launcher (JAVA_HOME, then Temurin 25, then `java`).
# Reads the JDK's `release` file instead of starting a JVM: the launcher's start-up time matters.
jdk_major() {
  local v
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)
  echo "${v:-0}"
}
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(jdk_major "$JAVA_HOME")" -ge 21 ]; then
  :
elif [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
elif command -v java >/dev/null && \
    jh="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")" && [ "$(jdk_major "$jh")" -ge 21 ]; then
  export JAVA_HOME="$jh"
else
  echo "kubeboot needs a JDK 21 or newer: set JAVA_HOME to one (the default java here may be 17)" >&2
  exit 1
fi
