package dev.kubeboot.cli.day2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kubeboot.cli.etcd.EtcdGateway;
import dev.kubeboot.cli.etcd.EtcdMember;
import dev.kubeboot.cli.etcd.LearnerJoin;
import dev.kubeboot.runner.worker.Sleeper;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reset on a node of a two-member etcd cluster (Debian's etcd, on free ports): refused while the
 * other member is down (removing this one would leave no quorum), and with the other member back it
 * removes this node's member before it deletes anything.
 */
class ResetEtcdMemberTest {
  private static final Path ETCD = Path.of("/usr/bin/etcd");
  @TempDir Path tmp;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly().waitFor();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private Process etcd(
      Path pki, String name, Path data, String client, String peer, String cluster, String state)
      throws Exception {
    Process p =
        new ProcessBuilder(
                ETCD.toString(),
                "--name=" + name,
                "--data-dir=" + data,
                "--listen-client-urls=" + client,
                "--advertise-client-urls=" + client,
                "--listen-peer-urls=" + peer,
                "--initial-advertise-peer-urls=" + peer,
                "--initial-cluster=" + cluster,
                "--initial-cluster-state=" + state,
                "--cert-file=" + pki.resolve("etcd/server.crt"),
                "--key-file=" + pki.resolve("etcd/server.key"),
                "--trusted-ca-file=" + pki.resolve("etcd/ca.crt"),
                "--client-cert-auth=true",
                "--peer-cert-file=" + pki.resolve("etcd/peer.crt"),
                "--peer-key-file=" + pki.resolve("etcd/peer.key"),
                "--peer-trusted-ca-file=" + pki.resolve("etcd/ca.crt"),
                "--peer-client-cert-auth=true")
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve(name + ".log").toFile())
            .start();
    processes.add(p);
    return p;
  }

  /** A client of the etcd at {@code client}, as the node's health-check user. */
  private static EtcdGateway gateway(Node node, String client) throws Exception {
    return EtcdGateway.open(
        List.of(client),
        node.pki.resolve("etcd/ca.crt"),
        node.pki.resolve("etcd/healthcheck-client.crt"),
        node.pki.resolve("etcd/healthcheck-client.key"),
        Duration.ofSeconds(2));
  }

  @Test
  void reset_removes_this_nodes_member_but_not_when_that_breaks_quorum() throws Exception {
    assumeTrue(Files.isExecutable(ETCD), "needs Debian's etcd: apt-get install -y etcd-server");
    var node = Node.init(tmp.resolve("node"), "");
    String client1 = "https://127.0.0.1:" + freePort();
    String peer1 = "https://127.0.0.1:" + freePort();
    Path manifest = node.manifests.resolve("etcd.yaml");
    Files.writeString(
        manifest,
        Files.readString(manifest)
            .replace("https://127.0.0.1:2379", client1)
            .replace("https://127.0.0.1:2380", peer1));
    etcd(node.pki, "n1", node.etcdData, client1, peer1, "n1=" + peer1, "new");

    String client2 = "https://127.0.0.1:" + freePort();
    String peer2 = "https://127.0.0.1:" + freePort();
    Path data2 = tmp.resolve("data-n2");
    Clock clock = Clock.systemUTC();
    Process second;
    try (EtcdGateway gateway = gateway(node, client1)) {
      var join = new LearnerJoin(gateway, Duration.ofSeconds(60), clock, Sleeper.of(clock));
      join.awaitAvailable();
      var announced = join.announce("n2", peer2);
      second = etcd(node.pki, "n2", data2, client2, peer2, announced.initialCluster(), "existing");
      join.promote(announced.member().id());
      join.awaitAvailable();
    }

    // n2 down: n1 leaving would leave one voter, unhealthy.
    second.destroy();
    second.waitFor();
    Node.Result refused = node.onNode("reset", "-f", "--config", node.config.toString());
    assertThat(refused.code()).as(refused.out() + refused.err()).isEqualTo(1);
    assertThat(refused.err())
        .contains("refusing to reset this node")
        .contains("fewer than the quorum of 1")
        .contains("--force-etcd-member-removal");
    assertThat(manifest).exists();
    assertThat(node.pki.resolve("ca.key")).exists();

    etcd(node.pki, "n2", data2, client2, peer2, "unused-once-a-member", "existing");
    try (EtcdGateway gateway = gateway(node, client2)) {
      new LearnerJoin(gateway, Duration.ofSeconds(60), clock, Sleeper.of(clock)).awaitAvailable();
      Node.Result reset = node.onNode("reset", "-f", "--config", node.config.toString());
      assertThat(reset.code()).as(reset.out() + reset.err()).isZero();
      assertThat(reset.out()).contains("Removed etcd member n1");
      assertThat(gateway.members()).extracting(EtcdMember::name).containsExactly("n2");
      assertThat(manifest).doesNotExist();
    }
  }

  /**
   * A control-plane join killed between its member add and this node's etcd start: node 1's etcd
   * (n1) holds a learner for this node that never started. reset -f takes it out through the
   * members the join recorded, whether the join got as far as writing the etcd manifest (whose own
   * client URL then refuses) or not; etcd admits one learner at a time, so a learner left there
   * would stop every later join.
   */
  @Test
  void reset_after_a_join_killed_past_its_member_add_removes_the_never_started_learner()
      throws Exception {
    assumeTrue(Files.isExecutable(ETCD), "needs Debian's etcd: apt-get install -y etcd-server");
    for (boolean manifestWritten : new boolean[] {false, true}) {
      var node = Node.init(tmp.resolve("joined-" + manifestWritten), "");
      // No API server runs here: without kubelet.conf reset does not spend its 30 s trying to
      // delete this node's Node object, which is not what this test is about.
      Files.delete(node.kubernetesDir.resolve("kubelet.conf"));
      String client1 = "https://127.0.0.1:" + freePort();
      String peer1 = "https://127.0.0.1:" + freePort();
      etcd(
          node.pki,
          "n1-" + manifestWritten,
          node.root.resolve("data-n1"),
          client1,
          peer1,
          "n1-" + manifestWritten + "=" + peer1,
          "new");
      String client2 = "https://127.0.0.1:" + freePort();
      String peer2 = "https://127.0.0.1:" + freePort();
      Path manifest = node.manifests.resolve("etcd.yaml");
      if (manifestWritten) {
        Files.writeString(
            manifest,
            Files.readString(manifest)
                .replace("https://127.0.0.1:2379", client2)
                .replace("https://127.0.0.1:2380", peer2));
      } else {
        Files.delete(manifest);
      }
      Path record = node.kubernetesDir.resolve(".kubeboot-etcd-join");
      Files.writeString(record, "peer-url " + peer2 + "\nendpoints " + client1 + "\n");
      Clock clock = Clock.systemUTC();
      try (EtcdGateway gateway = gateway(node, client1)) {
        var join = new LearnerJoin(gateway, Duration.ofSeconds(60), clock, Sleeper.of(clock));
        join.awaitAvailable();
        join.announce("n2", peer2);
        assertThat(gateway.members()).hasSize(2);

        Node.Result reset = node.onNode("reset", "-f", "--config", node.config.toString());

        assertThat(reset.code()).as(reset.out() + reset.err()).isZero();
        assertThat(reset.out()).contains("Removed etcd member");
        assertThat(gateway.members())
            .as("manifest written: " + manifestWritten)
            .extracting(EtcdMember::name)
            .containsExactly("n1-" + manifestWritten);
        assertThat(record).doesNotExist();
        assertThat(manifest).doesNotExist();
      }
    }
  }
}
