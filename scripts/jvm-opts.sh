# Sourced by the launchers (./kubeboot in a checkout, bin/kubeboot of the release archive and the
# Debian package) and bench/: the JVM flags a kubeboot command runs with.
# kubeboot_jvm_opts JAR ARGS...  sets the array KUBEBOOT_JVM_OPTS (JAVA_HOME must be set).
# - Short-lived CLI: C1 only and the serial collector start fastest; except init: RSA key
#   generation needs C2's BigInteger intrinsics (C1 only nearly doubles init's CPU time).
# - runner (the long-lived static-pod runner, as the systemd unit starts it): the flags init starts
#   it with (RunnerControls): small thread stacks and heap for its footprint, no AOT cache (trained
#   on init, it would only add mapped pages to a process that lives for months).
# - The AOT cache the build trained (scripts/aot-train.sh) when it fits this jar and this Java
#   runtime: kubeboot.aot.java beside it names the runtime, absolute (a checkout's build) or
#   relative to the jar's directory (the release layout, whose runtime moves with it). The JVM's
#   own check is the last word, quietly (a misfit cache only means a slower start). Not for
#   --version, which loads two classes of ours and maps the runtime's default archive faster.
#   KUBEBOOT_AOT=off runs without it.
# - KUBEBOOT_JAVA_OPTS: the user's own JVM options, split on blanks (quotes are not read), last,
#   so they win over kubeboot's, e.g. KUBEBOOT_JAVA_OPTS='-Xmx512m -Dkey=value'.
kubeboot_jvm_opts() {
  local jar=$1 arg aot made user
  shift
  if [ "${1:-}" = runner ]; then
    KUBEBOOT_JVM_OPTS=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:MaxRAM=256m -Xshare:auto)
    if [ -n "${KUBEBOOT_JAVA_OPTS:-}" ]; then
      read -r -a user <<< "$KUBEBOOT_JAVA_OPTS"
      KUBEBOOT_JVM_OPTS+=("${user[@]}")
    fi
    return
  fi
  KUBEBOOT_JVM_OPTS=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1)
  for arg in "$@"; do
    if [ "$arg" = init ]; then KUBEBOOT_JVM_OPTS=(-XX:+UseSerialGC); break; fi
  done
  aot="$(dirname "$jar")/kubeboot.aot"
  made=
  if [ "${KUBEBOOT_AOT:-on}" != off ] && [ "$*" != --version ] && [ "$*" != version ] && [ -f "$aot" ] && [ "$aot" -nt "$jar" ]; then
    made=$(cat "$aot.java" 2>/dev/null)
    case $made in
      /*) ;;
      ?*) made=$(readlink -f "$(dirname "$jar")/$made") ;;
    esac
  fi
  if [ -n "$made" ] && [ "$made" = "$(readlink -f "$JAVA_HOME")" ]; then
    KUBEBOOT_JVM_OPTS+=(-XX:AOTCache="$aot" -Xlog:aot=off -Xlog:cds=off)
  else
    KUBEBOOT_JVM_OPTS+=(-Xshare:auto)
  fi
  if [ -n "${KUBEBOOT_JAVA_OPTS:-}" ]; then
    read -r -a user <<< "$KUBEBOOT_JAVA_OPTS"
    KUBEBOOT_JVM_OPTS+=("${user[@]}")
  fi
}
