package dev.kubeboot.testing.e2e;

import static dev.kubeboot.testing.e2e.E2eSupport.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kubeboot.testing.e2e.E2eSupport.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three control-plane nodes on stacked etcd behind Debian's haproxy, each in its own network
 * namespace: node 1 runs `kubeboot init --control-plane-endpoint <lb>:6443 --upload-certs`, nodes 2
 * and 3 run the `kubeboot join ... --control-plane --certificate-key ...` it printed. etcdctl then
 * lists three started voting members, and kubectl through haproxy sees three Ready control-plane
 * nodes with their twelve mirror Pods.
 *
 * <p>Node 1's etcd is made the leader (etcdctl move-leader), then node 1 loses power: every process
 * in its namespace (its runner, etcd, API server, controller-manager and scheduler) gets SIGKILL.
 * haproxy marks its backend down, the API keeps answering through haproxy, and once the two
 * remaining etcd members elected a leader, a ConfigMap written through it commits on them (etcdctl
 * on node 2 reads the key, both its and node 3's endpoints are healthy). Node 1 then boots: its
 * runner starts again with the command line init gave it, runs the static Pods from node 1's
 * manifests again, and its etcd rejoins with its existing data dir: the member list holds the same
 * three started members (none re-added), node 1's etcd is healthy and its own copy (a serializable
 * read) holds the key written while it was down, node 1's API server serves that ConfigMap, haproxy
 * marks it up again, and its mirror Pods are Ready with new containers and its Node Ready with a
 * fresh heartbeat.
 *
 * <p>Finally `kubeboot reset` on node 3 leaves two members.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HaJoinEndToEndIT {
  private static final List<String> COMPONENTS =
      List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler");

  private static final String WRITTEN_WHILE_DOWN = "written-while-node1-down";
  private static final String WRITTEN_VALUE = "committed-by-two-of-three";
  private static final String CONFIGMAP_KEY = "/registry/configmaps/default/" + WRITTEN_WHILE_DOWN;

  private NetnsCluster cluster;
  private Haproxy haproxy;
  private List<String> joinArgs;
  private List<String> membersBeforeKill;
  private Map<String, MirrorPod> node1PodsBeforeKill;
  private Instant node1KilledAt;

  @BeforeAll
  void setUp() throws Exception {
    E2eSupport.assumeEtcd();
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/etcdctl")), "etcdctl is not installed");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")), "kubectl is not installed");
    assumeTrue(
        Files.isExecutable(Haproxy.BINARY),
        "Debian's haproxy is not installed: scripts/test.sh installs it");
    E2eSupport.assertJarsBuilt();
    cluster = NetnsCluster.create(Files.createTempDirectory("kubeboot-ha-join-e2e"), 3, 1);
    for (NetnsNode node : cluster.nodes()) {
      // A default route, so that reset (which detects this node's address) finds one.
      node.addDefaultRoute(cluster.lbAddress());
    }
    haproxy = Haproxy.start(cluster, cluster.node(1).dir().resolveSibling("lb"));
  }

  @AfterAll
  void tearDown() throws Exception {
    try (NetnsCluster c = cluster;
        Haproxy h = haproxy) {
      // haproxy first, then every process of every namespace, then the namespaces
    }
  }

  @Test
  @Order(1)
  void nodeOneInitsBehindTheLoadBalancerAndPrintsKubebootsJoinCommand() throws Exception {
    NetnsNode node1 = cluster.node(1);
    Path config = node1.write("kubeadm.yaml", node1.initConfig(cluster.apiEndpoint()));
    Result init =
        node1.kubeboot(
            Duration.ofMinutes(5),
            "init",
            "--config",
            config.toString(),
            "--upload-certs",
            "--kubernetes-dir",
            node1.kubernetesDir().toString(),
            "--container-runtime",
            "process",
            "--timeout",
            "3m");
    assertThat(init.code()).as(init.out()).isZero();
    ControlPlaneJoin join = ControlPlaneJoin.in(init.out());
    assertThat(join.endpoint()).isEqualTo(cluster.apiEndpoint());
    node1.recordRunner();
    joinArgs = join.args();
  }

  @Test
  @Order(2)
  void nodesTwoAndThreeJoinWithThePrintedCommand() throws Exception {
    assertThat(joinArgs).as("init printed the join command").isNotNull();
    for (int i = 2; i <= 3; i++) {
      NetnsNode node = cluster.node(i);
      List<String> args = new ArrayList<>(joinArgs);
      args.addAll(
          List.of(
              "--node-name",
              node.name(),
              "--apiserver-advertise-address",
              node.address(),
              "--kubernetes-dir",
              node.kubernetesDir().toString(),
              "--container-runtime",
              "process",
              "--timeout",
              "4m"));
      Result join = node.kubeboot(Duration.ofMinutes(8), args.toArray(String[]::new));
      System.out.println("$ kubeboot join ...   # " + node + "\n" + join.out());
      assertThat(join.code()).as(join.out()).isZero();
      assertThat(join.out())
          .contains("[etcd] Announced new etcd member joining to the existing etcd cluster")
          .contains("This node has joined the cluster");
    }
  }

  @Test
  @Order(3)
  void etcdListsThreeStartedVotingMembers() throws Exception {
    List<String> members = memberList();
    System.out.println("$ etcdctl member list\n" + String.join("\n", members));
    assertThat(members).hasSize(3);
    assertThat(members).allSatisfy(l -> assertThat(l).contains(", started, ").endsWith(", false"));
    for (NetnsNode node : cluster.nodes()) {
      assertThat(members)
          .anySatisfy(
              l -> assertThat(l).contains(", " + node.name() + ", https://" + node.address()));
    }
  }

  @Test
  @Order(4)
  void kubectlThroughHaproxySeesThreeReadyControlPlaneNodesAndTwelveMirrorPods() throws Exception {
    waitFor(
        "haproxy to hold all three API servers up",
        Duration.ofSeconds(60),
        () -> haproxy.backends().values().stream().allMatch("UP"::equals));
    waitFor(
        "three Ready control-plane nodes through haproxy",
        Duration.ofSeconds(90),
        () ->
            kubectl("get", "nodes")
                    .out()
                    .lines()
                    .filter(l -> l.matches("node\\d\\s+Ready\\s+control-plane.*"))
                    .count()
                == 3);
    waitFor(
        "twelve mirror Pods through haproxy",
        Duration.ofSeconds(90),
        () -> {
          List<String> pods =
              kubectl("get", "pods", "-n", "kube-system", "-o", "name").out().lines().toList();
          return cluster.nodes().stream()
              .allMatch(
                  n ->
                      COMPONENTS.stream()
                          .allMatch(c -> pods.contains("pod/" + c + "-" + n.name())));
        });
    System.out.println("$ kubectl get nodes   # through haproxy\n" + kubectl("get", "nodes").out());
  }

  @Test
  @Order(5)
  void nodeOneKilledWholeLeavesTheApiAnsweringAndWritesCommittingOnTwoOfThreeMembers()
      throws Exception {
    NetnsNode node1 = cluster.node(1);
    NetnsNode node2 = cluster.node(2);
    membersBeforeKill = memberIds(memberList(node2));
    assertThat(membersBeforeKill).hasSize(3);
    node1PodsBeforeKill = mirrorPods(node1);
    assertThat(node1PodsBeforeKill.keySet()).containsExactlyInAnyOrderElementsOf(COMPONENTS);
    // node1's etcd leads when it dies, so that the two others must elect a new leader before a
    // write can commit: the harder of the two cases, every run.
    String node1Id =
        memberList(node2).stream()
            .filter(l -> l.contains(", " + node1.name() + ", "))
            .map(l -> l.substring(0, l.indexOf(',')))
            .findFirst()
            .orElseThrow();
    Result move = etcdctl(node2, allEndpoints(), "move-leader", node1Id);
    assertThat(move.code()).as(move.out()).isZero();
    waitFor(
        "node1's etcd to lead",
        Duration.ofSeconds(60),
        () ->
            etcdctl(node1, endpointOf(node1), "endpoint", "status")
                .out()
                .matches("(?s).*, " + node1Id + ", .*, true, false, .*"));
    // The runner and the four pods at least (a stand-in's launcher script may add its JVM).
    assertThat(NetnsCluster.pids(node1.namespace())).hasSizeGreaterThanOrEqualTo(5);

    node1KilledAt = Instant.now();
    assertThat(node1.killWhole()).as("processes killed in node1's namespace").isPositive();
    assertThat(NetnsCluster.pids(node1.namespace())).isEmpty();

    waitFor(
        "haproxy to mark node1 down and hold nodes 2 and 3 up",
        Duration.ofSeconds(60),
        () -> {
          Map<String, String> backends = haproxy.backends();
          return backends.get("node1").startsWith("DOWN")
              && "UP".equals(backends.get("node2"))
              && "UP".equals(backends.get("node3"));
        });
    // etcd elects a new leader when node1's was the leader: the API may take a moment to answer.
    waitFor(
        "kubectl through haproxy to answer without node1",
        Duration.ofSeconds(120),
        () -> kubectl("get", "nodes").code() == 0);
    // A write that timed out on the client side may still have committed: "already exists" then
    // says so, and the reads below check what was stored.
    waitFor(
        "a ConfigMap written through haproxy with node1 down",
        Duration.ofSeconds(120),
        () -> {
          Result create =
              kubectl(
                  "create",
                  "configmap",
                  WRITTEN_WHILE_DOWN,
                  "-n",
                  "default",
                  "--from-literal=written=" + WRITTEN_VALUE);
          return create.code() == 0 || create.out().contains("already exists");
        });
    Result read = kubectl(readWrittenWhileDown());
    assertThat(read.code()).as(read.out()).isZero();
    assertThat(read.out()).isEqualTo(WRITTEN_VALUE);

    // A linearizable read on node 2 needs a quorum: two of three members hold the key.
    Result key = etcdctl(node2, endpointOf(node2), "get", CONFIGMAP_KEY, "--print-value-only");
    assertThat(key.code()).as(key.out()).isZero();
    assertThat(key.out()).contains(WRITTEN_VALUE);
    Result healthy =
        etcdctl(node2, endpointOf(node2) + "," + endpointOf(cluster.node(3)), "endpoint", "health");
    System.out.println("$ etcdctl endpoint health   # nodes 2 and 3, node1 down\n" + healthy.out());
    assertThat(healthy.code()).as(healthy.out()).isZero();
    assertThat(healthy.out().lines().filter(l -> l.contains(" is healthy: ")).count())
        .as(healthy.out())
        .isEqualTo(2);
    Result down = etcdctl(node2, endpointOf(node1), "endpoint", "health");
    assertThat(down.code()).as(down.out()).isNotZero();
    Result status =
        etcdctl(
            node2,
            endpointOf(node2) + "," + endpointOf(cluster.node(3)),
            "endpoint",
            "status",
            "-w",
            "table");
    System.out.println("$ etcdctl endpoint status   # node1 down\n" + status.out());
    assertThat(status.code()).as(status.out()).isZero();
    // node1 stays a member while it is down: nothing removed it.
    assertThat(memberIds(memberList(node2))).isEqualTo(membersBeforeKill);
  }

  @Test
  @Order(6)
  void nodeOneBackRejoinsWithItsDataAndItsPodsAreReadyAgain() throws Exception {
    assertThat(node1KilledAt).as("node1 was killed").isNotNull();
    NetnsNode node1 = cluster.node(1);
    node1.restartRunner();

    waitFor(
        "node1's etcd to answer healthy again",
        Duration.ofSeconds(240),
        () -> etcdctl(node1, endpointOf(node1), "endpoint", "health").code() == 0);
    // A serializable read answers from node1's own copy: it caught up on what was written while
    // it was down.
    waitFor(
        "node1's own copy to hold the key written while it was down",
        Duration.ofSeconds(120),
        () ->
            etcdctl(
                    node1,
                    endpointOf(node1),
                    "get",
                    CONFIGMAP_KEY,
                    "--print-value-only",
                    "--consistency=s")
                .out()
                .contains(WRITTEN_VALUE));
    List<String> members = memberList(node1);
    System.out.println("$ etcdctl member list   # node1 back\n" + String.join("\n", members));
    assertThat(members).allSatisfy(l -> assertThat(l).contains(", started, ").endsWith(", false"));
    assertThat(memberIds(members))
        .as("the same members, none re-added")
        .isEqualTo(membersBeforeKill);

    waitFor(
        "haproxy to hold node1 up again",
        Duration.ofSeconds(240),
        () -> "UP".equals(haproxy.backends().get("node1")));
    waitFor(
        "node1's own API server to serve the ConfigMap written while it was down",
        Duration.ofSeconds(120),
        () ->
            kubectl(readWrittenWhileDown("--server", "https://" + node1.address() + ":6443"))
                .out()
                .equals(WRITTEN_VALUE));
    // The runner reports the pods it started again: new containers, Ready.
    waitFor(
        "node1's four mirror Pods Ready with new containers",
        Duration.ofSeconds(240),
        () -> {
          Map<String, MirrorPod> pods = mirrorPods(node1);
          return COMPONENTS.stream()
              .allMatch(
                  c ->
                      pods.containsKey(c)
                          && pods.get(c).ready()
                          && !pods.get(c)
                              .containerId()
                              .equals(node1PodsBeforeKill.get(c).containerId()));
        });
    waitFor(
        "node1 Ready with a heartbeat from after its restart",
        Duration.ofSeconds(240),
        () -> {
          Result ready =
              kubectl(
                  "get",
                  "node",
                  node1.name(),
                  "-o",
                  "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"
                      + " {.status.conditions[?(@.type==\"Ready\")].lastHeartbeatTime}");
          String[] fields = ready.out().strip().split(" ");
          return ready.code() == 0
              && fields.length == 2
              && fields[0].equals("True")
              && Instant.parse(fields[1]).isAfter(node1KilledAt);
        });
    System.out.println(
        "node1 back; haproxy: "
            + haproxy.backends()
            + "\n$ kubectl get pods -n kube-system -o wide\n"
            + kubectl("get", "pods", "-n", "kube-system", "-o", "wide").out());
  }

  @Test
  @Order(7)
  void resetOnNodeThreeLeavesTwoMembers() throws Exception {
    NetnsNode node3 = cluster.node(3);
    Result reset =
        node3.kubeboot(
            Duration.ofMinutes(3),
            "reset",
            "-f",
            "--kubernetes-dir",
            node3.kubernetesDir().toString());
    System.out.println("$ kubeboot reset -f   # node3\n" + reset.out());
    assertThat(reset.code()).as(reset.out()).isZero();
    assertThat(reset.out()).contains("Deleted the Node object node3");
    List<String> members = memberList();
    assertThat(members).hasSize(2).noneMatch(l -> l.contains(", node3, "));
    Result nodes = kubectl("get", "nodes", "-o", "name");
    assertThat(nodes.code()).as(nodes.out()).isZero();
    assertThat(nodes.out().lines().filter(l -> !l.isBlank()).toList())
        .containsExactlyInAnyOrder("node/node1", "node/node2");
  }

  private List<String> memberList() throws Exception {
    return memberList(cluster.node(1));
  }

  /** etcdctl member list, asked of {@code node}'s own etcd. */
  private List<String> memberList(NetnsNode node) throws Exception {
    Result list = etcdctl(node, endpointOf(node), "member", "list");
    assertThat(list.code()).as(list.out()).isZero();
    return list.out().lines().filter(l -> !l.isBlank()).toList();
  }

  /** The member IDs (the first column) of etcdctl's member list, sorted. */
  private static List<String> memberIds(List<String> members) {
    return members.stream().map(l -> l.substring(0, l.indexOf(','))).sorted().toList();
  }

  private static String endpointOf(NetnsNode node) {
    return "https://" + node.address() + ":2379";
  }

  private String allEndpoints() {
    return String.join(",", cluster.nodes().stream().map(HaJoinEndToEndIT::endpointOf).toList());
  }

  /** etcdctl in {@code node}'s namespace with its healthcheck-client certificate. */
  private Result etcdctl(NetnsNode node, String endpoints, String... args) throws Exception {
    Path pki = node.kubernetesDir().resolve("pki");
    var command =
        new ArrayList<>(
            List.of(
                "etcdctl",
                "--endpoints=" + endpoints,
                "--cacert=" + pki.resolve("etcd/ca.crt"),
                "--cert=" + pki.resolve("etcd/healthcheck-client.crt"),
                "--key=" + pki.resolve("etcd/healthcheck-client.key"),
                "--dial-timeout=5s",
                "--command-timeout=10s"));
    command.addAll(List.of(args));
    return node.exec(Duration.ofSeconds(30), command.toArray(String[]::new));
  }

  /**
   * A mirror Pod as kubectl through haproxy shows it: the runner's container, and whether Ready.
   */
  private record MirrorPod(String containerId, boolean ready) {}

  /** {@code node}'s mirror Pods by component, as kubectl through haproxy lists them. */
  private Map<String, MirrorPod> mirrorPods(NetnsNode node) throws Exception {
    Result pods =
        kubectl(
            "get",
            "pods",
            "-n",
            "kube-system",
            "-o",
            "jsonpath={range .items[*]}{.metadata.name}"
                + " {.status.containerStatuses[0].containerID}"
                + " {.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}");
    assertThat(pods.code()).as(pods.out()).isZero();
    var byComponent = new LinkedHashMap<String, MirrorPod>();
    for (String line : pods.out().lines().toList()) {
      String[] fields = line.strip().split(" ");
      for (String component : COMPONENTS) {
        if (fields.length == 3 && fields[0].equals(component + "-" + node.name())) {
          byComponent.put(component, new MirrorPod(fields[1], fields[2].equals("True")));
        }
      }
    }
    return byComponent;
  }

  /**
   * kubectl's arguments to read the value of the ConfigMap written while node 1 was down, after
   * {@code flags} (a --server to ask one API server rather than haproxy).
   */
  private static String[] readWrittenWhileDown(String... flags) {
    var args = new ArrayList<>(List.of(flags));
    args.addAll(
        List.of(
            "get",
            "configmap",
            WRITTEN_WHILE_DOWN,
            "-n",
            "default",
            "-o",
            "jsonpath={.data.written}"));
    return args.toArray(String[]::new);
  }

  /** kubectl with node 1's admin.conf (server: the load balancer), run in the test namespace. */
  private Result kubectl(String... args) throws Exception {
    return cluster.inLb(Duration.ofSeconds(30), cluster.node(1).kubectl(args));
  }
}
