#!/usr/bin/env bash
# P2: `kubeboot --version`, whole process, through the launcher's JVM flags (scripts/jvm-opts.sh), vs
# `kubectl version --client` and a JVM hello world (same JVM, same flags). hyperfine when present
# (median of >= 20 runs after 3 warm-ups), else a loop of 20 runs.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
d="$OUT/p2"; rm -rf "$d"; mkdir -p "$d"
"$JAVAC" -d "$d" "$BENCH/peers/Hello.java"
runs=${P2_RUNS:-20}
flags=$(kb_flags --version)
if command -v hyperfine >/dev/null; then
  hyperfine -N -w 3 -r "$runs" --export-json "$d/p2.json" \
    -n kubeboot "$JAVA $flags -jar $JAR --version" \
    -n kubectl "kubectl version --client" \
    -n hello "$JAVA $flags -cp $d Hello" >"$d/hyperfine.txt" 2>&1
  read -r kbm kcm hm < <(python3 -c '
import json,sys
r={x["command"]:x["median"]*1000 for x in json.load(open(sys.argv[1]))["results"]}
print("%.0f %.0f %.0f"%(r["kubeboot"],r["kubectl"],r["hello"]))' "$d/p2.json")
else
  for c in kb kc h; do
    for i in $(seq 1 "$runs"); do
      case $c in
        kb) wall "$JAVA" $flags -jar "$JAR" --version ;;
        kc) wall kubectl version --client ;;
        h) wall "$JAVA" $flags -cp "$d" Hello ;;
      esac
    done | awk '{print $1*1000}' > "$d/$c.txt"
  done
  kbm=$(median < "$d/kb.txt"); kcm=$(median < "$d/kc.txt"); hm=$(median < "$d/h.txt")
fi
echo "P2 medians (ms): kubeboot --version $kbm, kubectl version --client $kcm, JVM hello $hm (flags: $flags)" >&2
row "P2 kubeboot --version (ms) vs kubectl version --client" "$kbm" "$kcm" "$(ratio "$kbm" "$kcm")" "<= 80" "$(le "$kbm" 80)"
row "P2 kubeboot --version (ms) vs JVM hello world" "$kbm" "$hm" "$(ratio "$kbm" "$hm")" "<= 80" "$(le "$kbm" 80)"
