package dev.kubeboot.testing.e2e;

import static dev.kubeboot.testing.e2e.E2eSupport.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kubeboot.testing.e2e.E2eSupport.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The first control-plane node behind a real load balancer: node 1 in its own network namespace
 * runs `kubeboot init --control-plane-endpoint <lb>:6443 --upload-certs` (process runtime, Debian's
 * etcd, the API stand-ins), Debian's haproxy in the test namespace fronts it with /livez checks,
 * and kubectl through haproxy sees the node and its mirror pods. The node then loses power (every
 * process in its namespace killed): haproxy marks it down and the API stops answering; the node
 * boots again (its runner restarted as a service manager would) and the API answers again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HaLoadBalancerEndToEndIT {
  private static final List<String> COMPONENTS =
      List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler");

  private NetnsCluster cluster;
  private Haproxy haproxy;
  private NetnsNode node1;

  @BeforeAll
  void setUp() throws Exception {
    E2eSupport.assumeEtcd();
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")), "kubectl is not installed");
    assumeTrue(
        Files.isExecutable(Haproxy.BINARY),
        "Debian's haproxy is not installed: scripts/test.sh installs it");
    E2eSupport.assertJarsBuilt();
    cluster = NetnsCluster.create(Files.createTempDirectory("kubeboot-ha-e2e"), 1);
    node1 = cluster.node(1);
    haproxy = Haproxy.start(cluster, node1.dir().resolveSibling("lb"));
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
  void initBehindTheLoadBalancerServesTheNodeAndItsMirrorPods() throws Exception {
    Path config = node1.write("kubeadm.yaml", node1.initConfig(""));
    Result init =
        node1.kubeboot(
            Duration.ofMinutes(5),
            "init",
            "--config",
            config.toString(),
            "--control-plane-endpoint",
            cluster.apiEndpoint(),
            "--upload-certs",
            "--kubernetes-dir",
            node1.kubernetesDir().toString(),
            "--container-runtime",
            "process",
            "--timeout",
            "3m");
    assertThat(init.code()).as(init.out()).isZero();
    assertThat(init.out())
        .contains("kubeadm join " + cluster.apiEndpoint() + " --token ")
        .contains("--control-plane --certificate-key ");
    node1.recordRunner();
    assertThat(Files.readString(node1.adminConf()))
        .contains("server: https://" + cluster.apiEndpoint() + "\n");

    waitFor(
        "haproxy to hold node1 up",
        Duration.ofSeconds(30),
        () -> "UP".equals(haproxy.backends().get("node1")));
    waitFor(
        "kubectl through haproxy to list node1's four mirror pods Running",
        Duration.ofSeconds(60),
        () -> {
          String pods = kubectl("get", "pods", "-n", "kube-system").out();
          return COMPONENTS.stream()
              .allMatch(c -> pods.matches("(?s).*\\n" + c + "-node1\\s+1/1\\s+Running.*"));
        });
    Result nodes = kubectl("get", "nodes", "-o", "wide");
    System.out.println("$ kubectl get nodes -o wide   # through haproxy\n" + nodes.out());
    assertThat(nodes.out())
        .containsPattern(
            "node1\\s+Ready\\s+control-plane\\s+\\S+\\s+\\S+\\s+"
                + node1.address().replace(".", "\\."));
    Result pods = kubectl("get", "pods", "-n", "kube-system", "-o", "name");
    assertThat(pods.out().lines().filter(l -> l.endsWith("-node1")).sorted().toList())
        .containsExactly(
            "pod/etcd-node1",
            "pod/kube-apiserver-node1",
            "pod/kube-controller-manager-node1",
            "pod/kube-scheduler-node1");
  }

  @Test
  @Order(2)
  void nodeOneDownMeansBackendDownAndNoApi() throws Exception {
    assertThat(node1.killWhole()).as("processes killed in node1's namespace").isPositive();
    assertThat(NetnsCluster.pids(node1.namespace())).isEmpty();
    waitFor(
        "haproxy to mark node1 down",
        Duration.ofSeconds(30),
        () -> haproxy.backends().get("node1").startsWith("DOWN"));
    Result refused = kubectl("get", "nodes");
    assertThat(refused.code()).as(refused.out()).isNotZero();
    System.out.println(
        "node1 killed; haproxy: " + haproxy.backends() + "\n$ kubectl get nodes\n" + refused.out());
  }

  @Test
  @Order(3)
  void nodeOneBackAnswersAgain() throws Exception {
    node1.restartRunner();
    waitFor(
        "haproxy to hold node1 up again",
        Duration.ofSeconds(120),
        () -> "UP".equals(haproxy.backends().get("node1")));
    waitFor(
        "kubectl through haproxy to answer with node1 Ready",
        Duration.ofSeconds(60),
        () -> kubectl("get", "nodes").out().matches("(?s).*node1\\s+Ready\\s+control-plane.*"));
    // etcd came back with its data: what init stored is still there.
    Result config = kubectl("get", "configmap", "kubeadm-config", "-n", "kube-system");
    assertThat(config.code()).as(config.out()).isZero();
  }

  /** kubectl with node 1's admin.conf (server: the load balancer), run in the test namespace. */
  private Result kubectl(String... args) throws Exception {
    return cluster.inLb(Duration.ofSeconds(30), node1.kubectl(args));
  }
}
