package dev.kubeboot.testing.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kubeboot.testing.e2e.E2eSupport.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * A second control-plane node joins the first, each in its own network namespace (a veth pair
 * between them, a private address range used only inside the two namespaces), each with its own
 * kubernetes directory, runner, Debian etcd and the API stand-ins keeping their objects in that
 * etcd: init prints kubeboot's control-plane join command, the join adds node 2's etcd member as a
 * learner and promotes it, etcdctl sees two voting members, kubectl through node 2 sees both
 * control-plane nodes, and reset on node 2 takes its member out again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JoinEndToEndIT {
  private static final String TOKEN = "e2ejoi.0123456789abcdef";
  private static final String KEY =
      "5f3a8c1e9b7d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a";
  private static final String SUBNET = "10.231.17.";
  private static final String IP1 = SUBNET + "1";
  private static final String IP2 = SUBNET + "2";
  private static final Pattern PIN =
      Pattern.compile("--discovery-token-ca-cert-hash (sha256:[0-9a-f]{64})");

  private final String ns1 = "kbjoin1-" + ProcessHandle.current().pid();
  private final String ns2 = "kbjoin2-" + ProcessHandle.current().pid();
  private Path work;
  private Path kube1;
  private Path kube2;
  private boolean namespaces;
  private String pin;

  @BeforeAll
  void setUp() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/etcd")),
        "Debian's etcd (etcd-server) is not installed: scripts/test.sh installs it");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")), "kubectl is not installed");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/etcdctl")), "etcdctl is not installed");
    assumeTrue(
        ProcessHandle.current().info().user().orElse("").equals("root"),
        "network namespaces need root");
    assertThat(E2eSupport.REPO.resolve("cli/target/kubeboot.jar")).exists();
    assertThat(E2eSupport.REPO.resolve("testing/target/kubeboot-testing.jar")).exists();
    work = Files.createTempDirectory("kubeboot-join-e2e");
    kube1 = work.resolve("node1");
    kube2 = work.resolve("node2");
    namespaces = true;
    String v1 = "kbj1-" + ProcessHandle.current().pid() % 100000;
    String v2 = "kbj2-" + ProcessHandle.current().pid() % 100000;
    sh("ip netns add " + ns1);
    sh("ip netns add " + ns2);
    sh("ip link add " + v1 + " netns " + ns1 + " type veth peer name " + v2 + " netns " + ns2);
    sh("ip -n " + ns1 + " addr add " + IP1 + "/24 dev " + v1);
    sh("ip -n " + ns2 + " addr add " + IP2 + "/24 dev " + v2);
    for (String ns : List.of(ns1, ns2)) {
      sh("ip -n " + ns + " link set lo up");
    }
    sh("ip -n " + ns1 + " link set " + v1 + " up");
    sh("ip -n " + ns2 + " link set " + v2 + " up");
    // A default route, so that commands that detect this node's address find one.
    sh("ip -n " + ns1 + " route add default via " + IP2);
    sh("ip -n " + ns2 + " route add default via " + IP1);
    Files.writeString(
        work.resolve("kubeadm.yaml"),
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: InitConfiguration
        localAPIEndpoint:
          advertiseAddress: %s
        nodeRegistration:
          name: join-node1
        ---
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        controlPlaneEndpoint: %s:6443
        etcd:
          local:
            imageTag: 3.4.23-0
        """
            .formatted(IP1, IP1));
  }

  @AfterAll
  void tearDown() throws Exception {
    if (!namespaces) {
      return;
    }
    for (var node : List.of(Map.entry(ns2, kube2), Map.entry(ns1, kube1))) {
      // A node reset already (node 2, by the last test) has no manifests directory left.
      if (Files.isDirectory(node.getValue().resolve("manifests"))) {
        Result reset =
            in(
                node.getKey(),
                Duration.ofMinutes(3),
                "reset",
                "-f",
                "--force-etcd-member-removal",
                "--kubernetes-dir",
                node.getValue().toString());
        System.out.println(reset.out());
      }
    }
    for (String ns : List.of(ns1, ns2)) {
      // Whatever still runs in the namespace was started by this test.
      Result pids = E2eSupport.run(Duration.ofSeconds(10), Map.of(), "ip", "netns", "pids", ns);
      for (String pid : pids.out().split("\\s+")) {
        if (pid.matches("[0-9]+")) {
          ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
      E2eSupport.run(Duration.ofSeconds(10), Map.of(), "ip", "netns", "del", ns);
    }
  }

  private static void sh(String command) throws Exception {
    Result r = E2eSupport.run(Duration.ofSeconds(20), Map.of(), "sh", "-c", command);
    assertThat(r.code()).as(command + "\n" + r.out()).isZero();
  }

  /** {@code ./kubeboot args} in a namespace, the stand-ins first on PATH. */
  private static Result in(String ns, Duration timeout, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of("ip", "netns", "exec", ns, E2eSupport.REPO.resolve("kubeboot").toString()));
    command.addAll(List.of(args));
    return E2eSupport.run(
        timeout,
        Map.of("PATH", E2eSupport.REPO.resolve("testing/bin") + ":" + System.getenv("PATH")),
        command.toArray(String[]::new));
  }

  private Result etcdctl(String ns, Path kube, String endpoint, String... args) throws Exception {
    Path pki = kube.resolve("pki");
    List<String> command =
        new ArrayList<>(
            List.of(
                "ip",
                "netns",
                "exec",
                ns,
                "etcdctl",
                "--endpoints=https://" + endpoint + ":2379",
                "--cacert=" + pki.resolve("etcd/ca.crt"),
                "--cert=" + pki.resolve("etcd/healthcheck-client.crt"),
                "--key=" + pki.resolve("etcd/healthcheck-client.key")));
    command.addAll(List.of(args));
    return E2eSupport.run(
        Duration.ofSeconds(30), Map.of("ETCDCTL_API", "3"), command.toArray(String[]::new));
  }

  private Result kubectl(String ns, Path kubeconfig, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of("ip", "netns", "exec", ns, "kubectl", "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    return E2eSupport.run(Duration.ofSeconds(30), Map.of(), command.toArray(String[]::new));
  }

  @Test
  @Order(1)
  void initPrintsKubebootsControlPlaneJoinCommand() throws Exception {
    Result init =
        in(
            ns1,
            Duration.ofMinutes(6),
            "init",
            "--config",
            work.resolve("kubeadm.yaml").toString(),
            "--kubernetes-dir",
            kube1.toString(),
            "--container-runtime",
            "process",
            "--timeout",
            "4m",
            "--token",
            TOKEN,
            "--upload-certs",
            "--certificate-key",
            KEY);
    System.out.println(init.out());
    assertThat(init.code()).as(init.out()).isZero();
    assertThat(init.out())
        .contains("kubeboot join " + IP1 + ":6443 --token " + TOKEN + " \\\n\t")
        .contains("--control-plane --certificate-key " + KEY);
    Matcher m = PIN.matcher(init.out());
    assertThat(m.find()).isTrue();
    pin = m.group(1);
  }

  @Test
  @Order(2)
  void aSecondControlPlaneNodeJoins() throws Exception {
    assertThat(pin).as("init printed the CA pin").isNotNull();
    Result join =
        in(
            ns2,
            Duration.ofMinutes(8),
            "join",
            IP1 + ":6443",
            "--token",
            TOKEN,
            "--discovery-token-ca-cert-hash",
            pin,
            "--control-plane",
            "--certificate-key",
            KEY,
            "--kubernetes-dir",
            kube2.toString(),
            "--container-runtime",
            "process",
            "--timeout",
            "4m",
            "--node-name",
            "join-node2",
            "--apiserver-advertise-address",
            IP2);
    System.out.println(join.out());
    assertThat(join.code()).as(join.out()).isZero();
    assertThat(join.out())
        .contains("[etcd] Announced new etcd member joining to the existing etcd cluster")
        .contains("[mark-control-plane] Marking the node join-node2 as control-plane")
        .contains("This node has joined the cluster");
    assertThat(kube2.resolve("pki/ca.crt")).hasSameBinaryContentAs(kube1.resolve("pki/ca.crt"));
    assertThat(Files.readString(kube2.resolve("manifests/etcd.yaml")))
        .contains("--initial-cluster-state=existing")
        .contains("join-node1=https://" + IP1 + ":2380")
        .contains("join-node2=https://" + IP2 + ":2380");
  }

  @Test
  @Order(3)
  void etcdHasTwoStartedVotingMembers() throws Exception {
    Result list = etcdctl(ns1, kube1, IP1, "member", "list");
    assertThat(list.code()).as(list.out()).isZero();
    List<String> lines = list.out().lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).as(list.out()).hasSize(2);
    assertThat(lines)
        .allSatisfy(l -> assertThat(l).contains(", started, ").endsWith(", false"))
        .anySatisfy(l -> assertThat(l).contains("join-node1"))
        .anySatisfy(l -> assertThat(l).contains("join-node2"));
  }

  @Test
  @Order(4)
  void kubectlThroughTheJoinedNodeSeesBothControlPlaneNodes() throws Exception {
    Result nodes =
        kubectl(
            ns2,
            kube2.resolve("admin.conf"),
            "get",
            "nodes",
            "-l",
            "node-role.kubernetes.io/control-plane",
            "-o",
            "name");
    assertThat(nodes.code()).as(nodes.out()).isZero();
    assertThat(nodes.out()).contains("node/join-node1").contains("node/join-node2");
    // node 2's own API server answers too, from node 2's etcd member.
    Result local =
        kubectl(
            ns2,
            kube2.resolve("admin.conf"),
            "--server",
            "https://" + IP2 + ":6443",
            "get",
            "--raw",
            "/api/v1/namespaces/kube-system/configmaps/kubeadm-config");
    assertThat(local.code()).as(local.out()).isZero();
    assertThat(local.out()).contains("ClusterConfiguration");
  }

  @Test
  @Order(5)
  void resetOnTheJoinedNodeTakesItsMemberOut() throws Exception {
    Result reset =
        in(ns2, Duration.ofMinutes(3), "reset", "-f", "--kubernetes-dir", kube2.toString());
    System.out.println(reset.out());
    assertThat(reset.code()).as(reset.out()).isZero();
    Result list = etcdctl(ns1, kube1, IP1, "member", "list");
    assertThat(list.code()).as(list.out()).isZero();
    assertThat(list.out().lines().filter(l -> !l.isBlank()).toList())
        .singleElement()
        .satisfies(l -> assertThat(l).contains("join-node1"));
    assertThat(reset.out()).contains("Deleted the Node object join-node2");
    Result nodes = kubectl(ns1, kube1.resolve("admin.conf"), "get", "nodes", "-o", "name");
    assertThat(nodes.code()).as(nodes.out()).isZero();
    assertThat(nodes.out()).contains("node/join-node1").doesNotContain("join-node2");
  }
}
