# Sourced by bench/*.sh and bench/drills/*.sh.
# JAR: the kubeboot jar to measure (default cli/target/kubeboot.jar, which needs kubeboot-libs.jar
# beside it; copy both somewhere stable while others rebuild: `mkdir -p /tmp/kb && cp -p
# cli/target/kubeboot.jar cli/target/kubeboot-libs.jar /tmp/kb/`; kb_aot trains an AOT cache
# beside the copy). CLI runs use the launcher's JVM flags
# (scripts/jvm-opts.sh); KUBEBOOT_AOT=off runs them without the AOT cache.
# RUNNER_JAVA_OPTS: the flags the runner is started with (RunnerControls' by default).
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
# javac for the bench tools: a release's runtime (JAVA_HOME=.../runtime, JAR=.../lib/kubeboot.jar
# measures the release layout) has none, so name a JDK's.
JAVAC="${JAVAC:-$JAVA_HOME/bin/javac}"
[ -x "$JAVAC" ] || { echo "no javac at $JAVAC: set JAVAC to a JDK's" >&2; exit 2; }
JAR="${JAR:-$ROOT/cli/target/kubeboot.jar}"
[ -f "$(dirname "$JAR")/kubeboot-libs.jar" ] || { echo "no kubeboot-libs.jar beside $JAR: copy it too" >&2; exit 2; }
source "$ROOT/scripts/jvm-opts.sh"
RUNNER_JAVA_OPTS="${RUNNER_JAVA_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:MaxRAM=256m}"
RUNNER_ENV="${RUNNER_ENV:-}"   # e.g. MALLOC_ARENA_MAX=2
OUT="${OUT:-/tmp/kubeboot-bench}"
mkdir -p "$OUT"
TOOL_CP="$OUT/tools"

# Compiles bench/tools/Bench.java once per run (single-file launch recompiles every time: ~1 s).
tool() {
  if [ ! -f "$TOOL_CP/Bench.class" ] || [ "$BENCH/tools/Bench.java" -nt "$TOOL_CP/Bench.class" ]; then
    mkdir -p "$TOOL_CP"
    "$JAVAC" -d "$TOOL_CP" "$BENCH/tools/Bench.java" >&2
  fi
  "$JAVA" -XX:+UseSerialGC -cp "$TOOL_CP" Bench "$@"
}

# kb ARGS...: kubeboot with the launcher's JVM flags; kb_flags ARGS...: those flags, as one string
kb() { kubeboot_jvm_opts "$JAR" "$@"; "$JAVA" "${KUBEBOOT_JVM_OPTS[@]}" -jar "$JAR" "$@"; }
kb_flags() { kubeboot_jvm_opts "$JAR" "$@"; echo "${KUBEBOOT_JVM_OPTS[*]}"; }

# Trains the AOT cache beside $JAR when it has none that fits (as the build does for its jar).
kb_aot() {
  if [ "$(kb_flags init)" = "$(KUBEBOOT_AOT=off kb_flags init)" ] && [ "${KUBEBOOT_AOT:-on}" != off ]; then
    echo "training an AOT cache for $JAR" >&2
    "$ROOT/scripts/aot-train.sh" "$JAVA_HOME" "$JAR" >&2
  fi
}

now_ms() { date +%s%3N; }

# median of numbers on stdin
median() { sort -n | awk '{a[NR]=$1} END{ if (NR==0) {print "-"; exit} if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2 }'; }

# wall seconds of a command, to 3 decimals
wall() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; local rc=$?; e=$(date +%s%N); awk -v a="$s" -v b="$e" 'BEGIN{printf "%.3f\n", (b-a)/1e9}'; return $rc; }

rss_kib() { awk '/^VmRSS/{print $2}' "/proc/$1/status"; }
# utime+stime of a process (all its threads) in clock ticks
cpu_ticks() { awk '{sub(/.*\) /,""); print $12+$13}' "/proc/$1/stat"; }
# "RSS_MiB CPU_percent_of_one_core" over SECONDS of idling
idle_stats() { # pid seconds
  local pid=$1 secs=$2 t0 t1 hz
  hz=$(getconf CLK_TCK)
  t0=$(cpu_ticks "$pid"); sleep "$secs"; t1=$(cpu_ticks "$pid")
  awk -v r="$(rss_kib "$pid")" -v a="$t0" -v b="$t1" -v s="$secs" -v hz="$hz" \
    'BEGIN{printf "%.1f %.3f\n", r/1024, (b-a)/hz/s*100}'
}

# A sleep pod manifest: name, sleep argument[, image (default busybox: the process runtime
# ignores it; the engines need kubeboot.test/busybox:1 from scripts/*-test-env.sh)]
sleep_pod() {
  cat <<M
apiVersion: v1
kind: Pod
metadata:
  name: $1
  namespace: bench
spec:
  hostNetwork: true
  containers:
  - name: main
    image: ${3:-busybox}
    command: ["sleep", "$2"]
M
}

# start_runner DIR PORT [RUNTIME [ENDPOINT]]: runner on DIR/manifests, state DIR/state, with the
# host-process runtime unless told, and the flags in RUNNER_ARGS (unquoted words); sets RUNNER_PID
start_runner() {
  local dir=$1 port=$2 runtime=(--container-runtime "${3:-process}")
  [ -z "${4:-}" ] || runtime+=(--container-runtime-endpoint "$4")
  mkdir -p "$dir/manifests" "$dir/state"
  # shellcheck disable=SC2086
  setsid env $RUNNER_ENV "$JAVA" $RUNNER_JAVA_OPTS -jar "$JAR" runner --pod-manifest-path "$dir/manifests" \
    --state-dir "$dir/state" --node-name n1 --node-ip 127.0.0.1 --status-port "$port" "${runtime[@]}" \
    ${RUNNER_ARGS:-} >>"$dir/runner.log" 2>&1 &
  RUNNER_PID=$!
  disown "$RUNNER_PID"
  echo "$RUNNER_PID" > "$dir/runner.pid"
}

wait_healthz() { # port
  local i
  for i in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "runner on port $1 did not answer /healthz" >&2; return 1
}

# Stops a runner and every pod process it started (pods outlive a runner by design).
stop_runner_and_pods() { # dir
  local dir=$1 pid f
  if [ -f "$dir/runner.pid" ]; then
    pid=$(cat "$dir/runner.pid")
    kill -9 "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  fi
  for f in "$dir"/state/containers/*.json; do
    [ -e "$f" ] || continue
    pid=$(basename "$f" .json)
    # only our own sleep processes
    if tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q '^\(/usr/bin/\)\?sleep '; then
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
}

row() { # metric kubeboot peer ratio target met
  printf '%s|%s|%s|%s|%s|%s\n' "$@"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b+0==0) print "-"; else printf "%.2f\n", a/b }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN{ exit !(a+0 <= b+0) }' && echo yes || echo MISSED; }
