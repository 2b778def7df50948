#!/usr/bin/env bash
# Drill D6: kill -9 of `join --control-plane` at random moments. Two nodes, each in its own network
# namespace (a veth pair between them, 10.226.6.1 and .2: addresses that exist only inside the two
# namespaces; every port is bound there, never on the host), each with its own --kubernetes-dir,
# the process runtime, Debian's etcd and the API stand-ins of testing/bin (build them: ./mvnw -pl
# testing -am package). Node 1 runs init --upload-certs with controlPlaneEndpoint its own address;
# node 2 runs the control-plane join command init printed: once in full (timed, then reset -f),
# then D6_ROUNDS times (default 2) killed (SIGKILL to the join process only: the runner it started
# is a daemon and lives on, as on a real node) after a random delay uniform over [0, the full join],
# and D6_ETCD_ROUNDS times (default 2) in the etcd step: once join has printed that it announced
# (added) node 2's member, the first at once (as close to the add as the drill can react), the
# others after a random delay uniform over [0, the full join's time from that announcement to
# the promotion]: the manifest write, etcd's start and the learner's catch-up.
# After each kill, once node 2's runner had time to start an etcd whose manifest was written:
# node 1's etcd is healthy and a node-2 member, if any, is either started with its etcd answering,
# or a learner that never started (the kill fell between the member add and its manifest: the
# rerun must take it over); never a voting member that does not run (that would cost the quorum).
# Then the same join runs again, as a user would (reset -f first only if join asks for it), and
# must exit 0 and leave exactly two started voting members, both healthy; reset -f on node 2 then
# leaves node 1 the only member. Last, the state a kill right after the member add leaves (a window
# of a few ms) is made with etcdctl, and the join must take that learner over. Last, a join killed
# right after its member add is not rerun but reset -f: node 1 must be left the only member. Needs root (ip
# netns), etcd and etcdctl (scripts/test.sh installs them). The namespaces and everything running
# in them go on exit, also on failure.
set -uo pipefail
source "$(dirname "$0")/../lib.sh"
rounds=${D6_ROUNDS:-2}; etcd_rounds=${D6_ETCD_ROUNDS:-2}
for t in /usr/bin/etcd /usr/bin/etcdctl; do
  [ -x "$t" ] || { echo "D6 needs Debian's etcd and etcdctl (apt-get install etcd-server etcd-client)" >&2; exit 2; }
done
[ -f "$ROOT/testing/target/kubeboot-testing.jar" ] ||
  { echo "D6 needs the API stand-ins: ./mvnw -B -pl testing -am package -DskipTests" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "D6 needs root (network namespaces)" >&2; exit 2; }
d="$OUT/d6"; rm -rf "$d"; mkdir -p "$d"
ns1="kbd6-$$-n1"; ns2="kbd6-$$-n2"; ip1=10.226.6.1; ip2=10.226.6.2
k1="$d/node1/kubernetes"; k2="$d/node2/kubernetes"
export PATH="$ROOT/testing/bin:$PATH"

# Everything in a namespace was started by this drill: kill it all, then the namespace.
drop_ns() {
  local ns=$1 i
  [ -e "/run/netns/$ns" ] || return 0
  for i in $(seq 1 50); do
    pids=$(ip netns pids "$ns" 2>/dev/null)
    [ -n "$pids" ] || break
    # shellcheck disable=SC2086
    kill -9 $pids 2>/dev/null
    sleep 0.1
  done
  ip netns del "$ns"
}
cleanup() { drop_ns "$ns2"; drop_ns "$ns1"; rm -rf "$d/node1" "$d/node2"; }
trap cleanup EXIT
trap "exit 1" INT TERM
# what an earlier run that was itself killed left behind (its shell is gone)
for ns in $(ip netns list | sed -n 's/^\(kbd6-\([0-9]*\)-n[12]\).*/\1 \2/p' | while read -r n p; do kill -0 "$p" 2>/dev/null || echo "$n"; done); do
  drop_ns "$ns"
done

ip netns add "$ns1" && ip netns add "$ns2" &&
  ip link add d6a netns "$ns1" type veth peer name d6b netns "$ns2" &&
  ip -n "$ns1" addr add "$ip1/24" dev d6a && ip -n "$ns2" addr add "$ip2/24" dev d6b &&
  ip -n "$ns1" link set lo up && ip -n "$ns2" link set lo up &&
  ip -n "$ns1" link set d6a up && ip -n "$ns2" link set d6b up &&
  # a default route: commands that detect this node's address need one
  ip -n "$ns1" route add default via "$ip2" && ip -n "$ns2" route add default via "$ip1" ||
  { echo "FAIL setting up the network namespaces"; exit 1; }

# kbn NS ARGS...: kubeboot in a namespace, as the launcher runs it
kbn() { local ns=$1; shift; kubeboot_jvm_opts "$JAR" "$@"; ip netns exec "$ns" "$JAVA" "${KUBEBOOT_JVM_OPTS[@]}" -jar "$JAR" "$@"; }
# ctl IP[,IP] ARGS...: etcdctl to those members, from node 1's namespace with node 1's health-check client
ctl() {
  local eps; eps=$(sed 's|\([^,]*\)|https://\1:2379|g' <<<"$1"); shift
  ETCDCTL_API=3 ip netns exec "$ns1" etcdctl --endpoints="$eps" --cacert="$k1/pki/etcd/ca.crt" \
    --cert="$k1/pki/etcd/healthcheck-client.crt" --key="$k1/pki/etcd/healthcheck-client.key" \
    --command-timeout=5s "$@"
}
# node 2's line of `member list` (id, status, name, peer URLs, client URLs, is learner), if any
member2() { ctl "$ip1" member list | grep -F "https://$ip2:2380"; }
members() { ctl "$ip1" member list | grep -c .; }

cat > "$d/kubeadm.yaml" <<YAML
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: $ip1
nodeRegistration:
  name: d6-node1
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
controlPlaneEndpoint: $ip1:6443
etcd:
  local:
    imageTag: 3.4.23-0
YAML
kbn "$ns1" init --config "$d/kubeadm.yaml" --kubernetes-dir "$k1" --container-runtime process \
  --timeout 4m --upload-certs >"$d/init.out" 2>&1 || { echo "FAIL init on node 1"; tail -5 "$d/init.out"; exit 1; }
# the printed command: kubeboot join EP --token T \ --discovery-token-ca-cert-hash H \ --control-plane --certificate-key K
read -r -a printed < <(tr -d '\\\t' <"$d/init.out" | tr '\n' ' ' | grep -o 'kubeboot join [^ ]* --token [^ ]* *--discovery-token-ca-cert-hash [^ ]* *--control-plane --certificate-key [0-9a-f]*')
[ "${#printed[@]}" -eq 10 ] || { echo "FAIL init printed no control-plane join command"; tail -20 "$d/init.out"; exit 1; }
join=("${printed[@]:1}" --kubernetes-dir "$k2" --container-runtime process --timeout 4m
  --node-name d6-node2 --apiserver-advertise-address "$ip2")
echo "ok node 1 initialised; join command: kubeboot ${printed[*]:1:2} ... --control-plane --certificate-key <key>"

reset2() { kbn "$ns2" reset -f --kubernetes-dir "$k2" >>"$d/reset.out" 2>&1; }
# checks after a completed join; LABEL names the run
check_joined() {
  local label=$1 list
  list=$(ctl "$ip1" member list)
  if [ "$(grep -c . <<<"$list")" != 2 ] || [ "$(grep -c ', started, .*, false$' <<<"$list")" != 2 ]; then
    echo "FAIL $label: expected two started voting members:"; sed 's/^/  /' <<<"$list"; return 1
  fi
  ctl "$ip1,$ip2" endpoint health >"$d/health.out" 2>&1 ||
    { echo "FAIL $label: an etcd endpoint is not healthy:"; sed 's/^/  /' "$d/health.out"; return 1; }
}
check_reset() {
  local label=$1 list
  list=$(ctl "$ip1" member list)
  [ "$(grep -c . <<<"$list")" = 1 ] && grep -q ', d6-node1, ' <<<"$list" ||
    { echo "FAIL $label: after reset -f on node 2, node 1 is not the only member:"; sed 's/^/  /' <<<"$list"; return 1; }
}

# stamp: each line of stdin prefixed with the milliseconds since T0
stamp() { local l; while IFS= read -r l; do echo "$(( $(now_ms) - t0 )) $l"; done; }
t0=$(now_ms)
kbn "$ns2" "${join[@]}" 2>&1 | stamp >"$d/full.out"
[ "${PIPESTATUS[0]}" = 0 ] || { echo "FAIL the full join"; tail -8 "$d/full.out"; exit 1; }
full_ms=$(( $(now_ms) - t0 ))
# the etcd step's window: from the announcement (printed right after the member add) to the promotion
etcd_from=$(awk '/\[etcd\] Announced new etcd member/{print $1; exit}' "$d/full.out")
etcd_to=$(awk '/\[etcd\] etcd member .* is a voting member/{print $1; exit}' "$d/full.out")
check_joined "the full join" || exit 1
reset2 || { echo "FAIL reset -f on node 2 after the full join"; tail -5 "$d/reset.out"; exit 1; }
check_reset "the full join" || exit 1
[ -n "$etcd_from" ] && [ -n "$etcd_to" ] || { echo "FAIL the full join printed no member announcement or no promotion"; exit 1; }
etcd_ms=$((etcd_to - etcd_from))
echo "ok full join in ${full_ms} ms (etcd member announced at ${etcd_from} ms, promoted ${etcd_ms} ms later): two started voting members, both healthy; reset -f left one"

fail=0; killed=0; halfadded=0; learners=0; voters=0; resets=0
for r in $(seq 1 $((rounds + etcd_rounds))); do
  kubeboot_jvm_opts "$JAR" join
  # exec chain (ip netns exec, then the JVM): $! is the join's own process
  ip netns exec "$ns2" "$JAVA" "${KUBEBOOT_JVM_OPTS[@]}" -jar "$JAR" "${join[@]}" >"$d/r$r.out" 2>&1 &
  pid=$!
  if [ "$r" -le "$rounds" ]; then
    delay_ms=$(( (RANDOM * 32768 + RANDOM) % full_ms )); when="${delay_ms}/${full_ms}ms"
  else
    # the etcd step lasts ~1 s of a join whose length varies by more with the load: its moment
    # is taken from join's own output
    # the first at once: between the member add and its manifest, the narrowest window
    delay_ms=0; [ "$r" -gt $((rounds + 1)) ] && delay_ms=$(( (RANDOM * 32768 + RANDOM) % (etcd_ms + 1) ))
    when="${delay_ms}/${etcd_ms}ms after the announcement"
    # tail -f wakes on the write (inotify): the member add was a moment ago, its manifest comes next
    grep -q -m1 '^\[etcd\] Announced new etcd member' < <(tail -n +1 -f --pid="$pid" "$d/r$r.out" 2>/dev/null)
  fi
  [ "$delay_ms" = 0 ] || sleep "$(awk -v ms="$delay_ms" 'BEGIN{printf "%.3f", ms/1000}')"
  if kill -9 "$pid" 2>/dev/null; then how=killed; killed=$((killed + 1)); else how=finished; fi
  wait "$pid" 2>/dev/null
  phase=$(grep -o '^\[[a-z-]*\]' "$d/r$r.out" | tail -1); phase=${phase:-"[none yet]"}
  at="round $r ($how at $when, last phase $phase)"
  # A written etcd manifest is started by node 2's runner (it outlives the join): give it time.
  state=""
  for i in $(seq 1 40); do
    line=$(member2)
    if [ -z "$line" ]; then state=none
    elif [[ "$line" == *", started, "* ]] && ctl "$ip2" endpoint status >/dev/null 2>&1; then
      if [[ "$line" == *", true" ]]; then state=learner; else state=voter; fi
    elif [[ "$line" == *", true" ]] && [ ! -e "$k2/manifests/etcd.yaml" ]; then state=half-added
    else state="not running: $line"; fi
    case "$state" in none|learner|voter|half-added) break ;; esac
    sleep 0.5
  done
  case "$state" in
    none) ;;
    learner) learners=$((learners + 1)) ;;
    voter) voters=$((voters + 1)) ;;
    half-added) halfadded=$((halfadded + 1)) ;;
    *) echo "FAIL $at: node 2's member is $state (after 20 s)"; fail=1 ;;
  esac
  ctl "$ip1" endpoint health >"$d/r$r.health" 2>&1 ||
    { echo "FAIL $at: node 1's etcd is not healthy:"; sed 's/^/  /' "$d/r$r.health"; fail=1; }
  # the rerun, as a user would: join again; reset -f first only when join says so
  if ! kbn "$ns2" "${join[@]}" >"$d/r$r.rerun" 2>&1; then
    if grep -q 'kubeboot reset' "$d/r$r.rerun"; then
      resets=$((resets + 1))
      reset2 && kbn "$ns2" "${join[@]}" >"$d/r$r.rerun2" 2>&1 ||
        { echo "FAIL $at: reset -f and join again failed:"; tail -8 "$d/r$r.rerun2"; fail=1; break; }
    else
      echo "FAIL $at: the rerun failed:"; tail -8 "$d/r$r.rerun"; fail=1; break
    fi
  fi
  check_joined "$at, after the rerun" || { fail=1; break; }
  reset2 || { echo "FAIL $at: reset -f on node 2"; tail -5 "$d/reset.out"; fail=1; break; }
  check_reset "$at" || { fail=1; break; }
  echo "ok $at: node 2's member after the kill: $state; rerun joined (2 started voters, healthy); reset -f left 1"
done

# The state a kill between the member add and its manifest leaves: that window is a few ms wide and
# the kills above seldom land in it, so it is also made as join makes it (a learner with node 2's
# peer URL, added through node 1, never started). The join must take that member over: no second
# member, the same ID promoted, its etcd started under node 2's name.
if [ $fail -eq 0 ]; then
  add=$(ctl "$ip1" member add d6-node2 --learner --peer-urls="https://$ip2:2380" 2>&1)
  id=$(sed -n 's/^Member \([0-9a-f]*\) added to cluster.*/\1/p' <<<"$add")
  line=$(member2)
  if [ -z "$id" ] || [[ "$line" != "$id, unstarted, , https://$ip2:2380, , true" ]]; then
    echo "FAIL could not add a never-started learner for node 2: $add / $line"; fail=1
  elif ! kbn "$ns2" "${join[@]}" >"$d/half.out" 2>&1; then
    echo "FAIL the join over a never-started learner of node 2 failed:"; tail -8 "$d/half.out"; fail=1
  elif ! check_joined "the join over a never-started learner"; then fail=1
  elif [[ "$(member2)" != "$id, started, d6-node2, "*", false" ]]; then
    echo "FAIL the join over never-started learner $id did not promote that member: $(member2)"; fail=1
  elif ! reset2 || ! check_reset "the join over a never-started learner"; then fail=1
  else
    halfadded=$((halfadded + 1))
    echo "ok a never-started learner of node 2 (as a kill right after the add leaves it): the join took member $id over and promoted it; reset -f left 1"
  fi
fi
# A user who does not rerun the killed join but resets the node: the member the join added must go
# with it, also when the kill fell before the etcd manifest (or before etcd ever started). A learner
# left behind would stop every later join: etcd admits one learner at a time.
if [ $fail -eq 0 ]; then
  kubeboot_jvm_opts "$JAR" join
  ip netns exec "$ns2" "$JAVA" "${KUBEBOOT_JVM_OPTS[@]}" -jar "$JAR" "${join[@]}" >"$d/abandon.out" 2>&1 &
  pid=$!
  grep -q -m1 '^\[etcd\] Announced new etcd member' < <(tail -n +1 -f --pid="$pid" "$d/abandon.out" 2>/dev/null)
  kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  before=$(member2); [ -e "$k2/manifests/etcd.yaml" ] && manifest=written || manifest="not written"
  if [ -z "$before" ]; then
    echo "FAIL the join killed after its announcement left no member for node 2"; fail=1
  elif ! reset2 || ! check_reset "reset -f after a join killed right after its member add"; then
    tail -5 "$d/reset.out"; fail=1
  else
    echo "ok a join killed right after its member add (manifest $manifest; member: $before), then reset -f instead of a rerun: node 2's member removed, node 1 the only member"
  fi
fi
echo "D6 join --control-plane kill -9: $((rounds + etcd_rounds)) rounds, $etcd_rounds of them in the etcd step's window ($killed killed mid-run), full join ${full_ms} ms; node 2's member after a kill: $learners running learners, $voters running voters, $halfadded never-started learners taken over by a rerun (1 of them made with etcdctl); reset needed $resets times; failures $fail"
[ $fail -eq 0 ]
