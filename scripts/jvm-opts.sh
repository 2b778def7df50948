# Sourced by the launcher and bench/: the JVM flags a kubeboot command runs with.
# kubeboot_jvm_opts JAR ARGS...  sets the array KUBEBOOT_JVM_OPTS (JAVA_HOME must be set).
# - Short-lived CLI: C1 only and the serial collector start fastest; except init: RSA key
#   generation needs C2's BigInteger intrinsics (C1 only nearly doubles init's CPU time).
# - The AOT cache the build trained (scripts/aot-train.sh) when it fits this jar and this JDK; the
#   JVM's own check is the last word, quietly (a misfit cache only means a slower start). Not for
#   --version, which loads two classes of ours and maps the JDK's default archive faster.
#   KUBEBOOT_AOT=off runs without it.
# - KUBEBOOT_JAVA_OPTS: the user's own JVM options, split on blanks (quotes are not read), last,
#   so they win over kubeboot's, e.g. KUBEBOOT_JAVA_OPTS='-Xmx512m -Dkey=value'.
kubeboot_jvm_opts() {
  local jar=$1 arg aot user
  shift
  KUBEBOOT_JVM_OPTS=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1)
  for arg in "$@"; do
    if [ "$arg" = init ]; then KUBEBOOT_JVM_OPTS=(-XX:+UseSerialGC); break; fi
  done
  aot="$(dirname "$jar")/kubeboot.aot"
  if [ "${KUBEBOOT_AOT:-on}" != off ] && [ "$*" != --version ] && [ "$*" != version ] && [ -f "$aot" ] && [ "$aot" -nt "$jar" ] &&
      [ "$(cat "$aot.java" 2>/dev/null)" = "$(readlink -f "$JAVA_HOME")" ]; then
    KUBEBOOT_JVM_OPTS+=(-XX:AOTCache="$aot" -Xlog:aot=off -Xlog:cds=off)
  else
    KUBEBOOT_JVM_OPTS+=(-Xshare:auto)
  fi
  if [ -n "${KUBEBOOT_JAVA_OPTS:-}" ]; then
    read -r -a user <<< "$KUBEBOOT_JAVA_OPTS"
    KUBEBOOT_JVM_OPTS+=("${user[@]}")
  fi
}
