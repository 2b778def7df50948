package dev.kubeboot.testing.e2e;

import static dev.kubeboot.testing.e2e.E2eSupport.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kubeboot.testing.e2e.E2eSupport.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * lists three started voting members, kubectl through haproxy sees three Ready control-plane nodes
 * with their twelve mirror Pods, and `kubeboot reset` on node 3 leaves two members.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HaJoinEndToEndIT {
  private static final List<String> COMPONENTS =
      List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler");
  private static final Pattern JOIN =
      Pattern.compile(
          "kubeboot join (\\S+) --token (\\S+) \\\\\\n\\t--discovery-token-ca-cert-hash"
              + " (sha256:[0-9a-f]{64}) \\\\\\n\\t--control-plane --certificate-key ([0-9a-f]{64})");

  private NetnsCluster cluster;
  private Haproxy haproxy;
  private List<String> joinArgs;

  @BeforeAll
  void setUp() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/etcd")),
        "Debian's etcd (etcd-server) is not installed: scripts/test.sh installs it");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/etcdctl")), "etcdctl is not installed");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")), "kubectl is not installed");
    assumeTrue(
        Files.isExecutable(Haproxy.BINARY),
        "Debian's haproxy is not installed: scripts/test.sh installs it");
    assertThat(E2eSupport.REPO.resolve("cli/target/kubeboot.jar")).exists();
    assertThat(E2eSupport.REPO.resolve("testing/target/kubeboot-testing.jar")).exists();
    cluster = NetnsCluster.create(Files.createTempDirectory("kubeboot-ha-join-e2e"), 3, 1);
    for (NetnsNode node : cluster.nodes()) {
      // A default route, so that reset (which detects this node's address) finds one.
      Result route =
          NetnsCluster.exec(
              node.namespace(),
              Duration.ofSeconds(10),
              java.util.Map.of(),
              "ip",
              "route",
              "add",
              "default",
              "via",
              cluster.lbAddress());
      assertThat(route.code()).as(route.out()).isZero();
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

  private String endpoint() {
    return cluster.lbAddress() + ":6443";
  }

  @Test
  @Order(1)
  void nodeOneInitsBehindTheLoadBalancerAndPrintsKubebootsJoinCommand() throws Exception {
    NetnsNode node1 = cluster.node(1);
    Path config = node1.write("kubeadm.yaml", node1.initConfig(endpoint()));
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
    Matcher join = JOIN.matcher(init.out());
    assertThat(join.find()).as(init.out()).isTrue();
    assertThat(join.group(1)).isEqualTo(endpoint());
    joinArgs =
        List.of(
            "join",
            join.group(1),
            "--token",
            join.group(2),
            "--discovery-token-ca-cert-hash",
            join.group(3),
            "--control-plane",
            "--certificate-key",
            join.group(4));
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
    NetnsNode node1 = cluster.node(1);
    Path pki = node1.kubernetesDir().resolve("pki");
    Result list =
        node1.exec(
            Duration.ofSeconds(30),
            "etcdctl",
            "--endpoints=https://" + node1.address() + ":2379",
            "--cacert=" + pki.resolve("etcd/ca.crt"),
            "--cert=" + pki.resolve("etcd/healthcheck-client.crt"),
            "--key=" + pki.resolve("etcd/healthcheck-client.key"),
            "member",
            "list");
    assertThat(list.code()).as(list.out()).isZero();
    return list.out().lines().filter(l -> !l.isBlank()).toList();
  }

  /** kubectl with node 1's admin.conf (server: the load balancer), run in the test namespace. */
  private Result kubectl(String... args) throws Exception {
    var command =
        new ArrayList<>(
            List.of(
                "/usr/bin/kubectl",
                "--kubeconfig",
                cluster.node(1).adminConf().toString(),
                "--request-timeout",
                "10s"));
    command.addAll(List.of(args));
    return cluster.inLb(Duration.ofSeconds(30), command.toArray(String[]::new));
  }
}
