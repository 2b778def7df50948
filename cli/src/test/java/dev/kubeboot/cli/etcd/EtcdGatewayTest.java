package dev.kubeboot.cli.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kubeboot.cli.NodeCerts;
import dev.kubeboot.runner.worker.Sleeper;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learner flow against Debian's etcd 3.4 over mutual TLS, with the certificates kubeboot's own
 * certs phase writes: a second member is added as a learner, started with the member list's
 * --initial-cluster, promoted once it has caught up, and removed again.
 */
class EtcdGatewayTest {
  private static final Path ETCD = Path.of("/usr/bin/etcd");
  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();
  private Path pki;

  @BeforeEach
  void certificates() {
    assumeTrue(Files.isExecutable(ETCD), "needs Debian's etcd: apt-get install -y etcd-server");
    NodeCerts.issue(dir);
    pki = dir.resolve("pki");
  }

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

  private record Member(String name, String clientUrl, String peerUrl) {}

  private Member member(String name) throws Exception {
    return new Member(name, "https://127.0.0.1:" + freePort(), "https://127.0.0.1:" + freePort());
  }

  private void start(Member m, String initialCluster, String state) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                ETCD.toString(),
                "--name=" + m.name(),
                "--data-dir=" + dir.resolve("data-" + m.name()),
                "--listen-client-urls=" + m.clientUrl(),
                "--advertise-client-urls=" + m.clientUrl(),
                "--listen-peer-urls=" + m.peerUrl(),
                "--initial-advertise-peer-urls=" + m.peerUrl(),
                "--initial-cluster=" + initialCluster,
                "--initial-cluster-state=" + state,
                "--cert-file=" + pki.resolve("etcd/server.crt"),
                "--key-file=" + pki.resolve("etcd/server.key"),
                "--trusted-ca-file=" + pki.resolve("etcd/ca.crt"),
                "--client-cert-auth=true",
                "--peer-cert-file=" + pki.resolve("etcd/peer.crt"),
                "--peer-key-file=" + pki.resolve("etcd/peer.key"),
                "--peer-trusted-ca-file=" + pki.resolve("etcd/ca.crt"),
                "--peer-client-cert-auth=true"));
    processes.add(
        new ProcessBuilder(args)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(m.name() + ".log").toFile())
            .start());
  }

  private EtcdGateway gateway(String... endpoints) throws EtcdException {
    return EtcdGateway.open(
        List.of(endpoints),
        pki.resolve("etcd/ca.crt"),
        pki.resolve("etcd/healthcheck-client.crt"),
        pki.resolve("etcd/healthcheck-client.key"),
        Duration.ofSeconds(2));
  }

  private LearnerJoin learnerJoin(EtcdCluster cluster) {
    Clock clock = Clock.systemUTC();
    return new LearnerJoin(cluster, Duration.ofSeconds(60), clock, Sleeper.of(clock));
  }

  @Test
  void a_learner_is_added_started_promoted_and_removed() throws Exception {
    Member one = member("node1");
    start(one, "node1=" + one.peerUrl(), "new");
    try (EtcdGateway etcd = gateway(one.clientUrl())) {
      List<EtcdMember> first = learnerJoin(etcd).awaitAvailable();
      assertThat(first).extracting(EtcdMember::name).containsExactly("node1");

      Member two = member("node2");
      LearnerJoin.Announced announced = learnerJoin(etcd).announce("node2", two.peerUrl());
      assertThat(announced.added()).isTrue();
      assertThat(announced.member().learner()).isTrue();
      // In etcd's member order, which follows the (random) member IDs.
      assertThat(announced.initialCluster().split(","))
          .containsExactlyInAnyOrder("node1=" + one.peerUrl(), "node2=" + two.peerUrl());
      // A rerun finds the member it added instead of adding a second one.
      LearnerJoin.Announced again = learnerJoin(etcd).announce("node2", two.peerUrl());
      assertThat(again.added()).isFalse();
      assertThat(again.member().id()).isEqualTo(announced.member().id());
      assertThat(etcd.members()).hasSize(2);
      // status: the learner that never started shows by its hex ID, without health; the
      // cluster's voters are healthy all the same.
      EtcdClusterReport pending = EtcdClusterReport.inspect(etcd);
      assertThat(pending.members())
          .extracting(EtcdClusterReport.Member::name)
          .containsExactlyInAnyOrder("node1", announced.member().idHex());
      EtcdClusterReport.Member learner =
          pending.members().stream()
              .filter(m -> m.name().equals(announced.member().idHex()))
              .findFirst()
              .orElseThrow();
      assertThat(learner.learner()).isTrue();
      assertThat(learner.healthy()).isFalse();
      assertThat(pending.healthy()).isTrue();

      start(two, announced.initialCluster(), "existing");
      learnerJoin(etcd).promote(announced.member().id());
      assertThat(etcd.members()).allSatisfy(m -> assertThat(m.learner()).isFalse());
      List<EtcdMember> both = learnerJoin(etcd).awaitAvailable();
      assertThat(both).extracting(EtcdMember::name).containsExactlyInAnyOrder("node1", "node2");

      EtcdEndpointStatus status = etcd.status(two.clientUrl());
      assertThat(status.memberId()).isEqualTo(announced.member().id());
      assertThat(status.version()).startsWith("3.");
      assertThat(etcd.status(one.clientUrl()).leaderId()).isEqualTo(status.leaderId());
      assertThat(etcd.healthy(two.clientUrl())).isTrue();
      EtcdClusterReport report = EtcdClusterReport.inspect(etcd);
      assertThat(report.healthy()).isTrue();
      assertThat(report.members()).hasSize(2).allMatch(EtcdClusterReport.Member::healthy);
      assertThat(report.members()).filteredOn(EtcdClusterReport.Member::leader).hasSize(1);
      assertThat(report.members()).allMatch(m -> m.version().startsWith("3."));

      learnerJoin(etcd).remove(announced.member().id());
      assertThat(etcd.members()).extracting(EtcdMember::name).containsExactly("node1");
      // Removing what is gone already counts as removed.
      learnerJoin(etcd).remove(announced.member().id());
    }
  }

  /** A member start that records what it was given and whether it was undone. */
  private static final class RecordingStart implements LearnerJoin.MemberStart {
    final List<String> calls = new ArrayList<>();
    final Exception failure;

    RecordingStart(Exception failure) {
      this.failure = failure;
    }

    @Override
    public void start(String initialCluster) throws Exception {
      calls.add("start " + initialCluster);
      if (failure != null) {
        throw failure;
      }
    }

    @Override
    public void undo() {
      calls.add("undo");
    }
  }

  @Test
  void a_join_that_fails_after_the_add_leaves_no_member_behind() throws Exception {
    Member one = member("node1");
    start(one, "node1=" + one.peerUrl(), "new");
    try (EtcdGateway etcd = gateway(one.clientUrl())) {
      learnerJoin(etcd).awaitAvailable();
      Member two = member("node2");
      // The member's etcd never starts: it cannot be promoted within the (short) timeout.
      Clock clock = Clock.systemUTC();
      var impatient = new LearnerJoin(etcd, Duration.ofSeconds(3), clock, Sleeper.of(clock));
      var neverRuns = new RecordingStart(null);
      assertThatThrownBy(() -> impatient.join("node2", two.peerUrl(), neverRuns))
          .isInstanceOf(EtcdException.class)
          .hasMessageContaining("promote learner");
      assertThat(neverRuns.calls).hasSize(2).endsWith("undo");
      assertThat(neverRuns.calls.get(0).substring("start ".length()).split(","))
          .containsExactlyInAnyOrder("node1=" + one.peerUrl(), "node2=" + two.peerUrl());
      assertThat(etcd.members()).extracting(EtcdMember::name).containsExactly("node1");

      // A start that fails at once (its manifest cannot be written) takes the member back too.
      // (Another peer URL: etcd 3.4 may refuse a new add of the one just removed for a moment.)
      Member three = member("node3");
      var failing = new RecordingStart(new java.io.IOException("No space left on device"));
      assertThatThrownBy(() -> learnerJoin(etcd).join("node3", three.peerUrl(), failing))
          .hasMessage("No space left on device");
      assertThat(failing.calls).endsWith("undo");
      assertThat(etcd.members()).hasSize(1);

      // With an etcd that starts, the same flow ends with two voting members.
      Member four = member("node4");
      LearnerJoin.Announced joined =
          learnerJoin(etcd)
              .join(
                  "node4",
                  four.peerUrl(),
                  new LearnerJoin.MemberStart() {
                    @Override
                    public void start(String initialCluster) throws Exception {
                      EtcdGatewayTest.this.start(four, initialCluster, "existing");
                    }

                    @Override
                    public void undo() {
                      throw new AssertionError("a join that succeeds is not undone");
                    }
                  });
      assertThat(joined.added()).isTrue();
      assertThat(etcd.members()).hasSize(2).allSatisfy(m -> assertThat(m.learner()).isFalse());
    }
  }

  @Test
  void a_member_that_does_not_answer_is_skipped_and_none_answering_is_named() throws Exception {
    Member one = member("node1");
    start(one, "node1=" + one.peerUrl(), "new");
    String dead = "https://127.0.0.1:" + freePort();
    try (EtcdGateway etcd = gateway(dead, one.clientUrl())) {
      assertThat(learnerJoin(etcd).awaitAvailable()).hasSize(1);
      assertThat(etcd.healthy(dead)).isFalse();
    }
    try (EtcdGateway etcd = gateway(dead)) {
      assertThatThrownBy(etcd::members)
          .isInstanceOfSatisfying(EtcdException.class, e -> assertThat(e.nothingListens()).isTrue())
          .hasMessageContaining("no etcd member answered")
          .hasMessageContaining(dead);
      EtcdClusterReport report = EtcdClusterReport.inspect(etcd);
      assertThat(report.healthy()).isFalse();
      assertThat(report.problem()).get().asString().contains(dead);
    }
  }

  @Test
  void a_client_certificate_of_another_ca_is_refused() throws Exception {
    Member one = member("node1");
    start(one, "node1=" + one.peerUrl(), "new");
    try (EtcdGateway etcd = gateway(one.clientUrl())) {
      learnerJoin(etcd).awaitAvailable();
    }
    // The cluster CA's client pair is no etcd client: etcd's CA did not sign it.
    try (EtcdGateway other =
        EtcdGateway.open(
            List.of(one.clientUrl()),
            pki.resolve("etcd/ca.crt"),
            pki.resolve("apiserver-kubelet-client.crt"),
            pki.resolve("apiserver-kubelet-client.key"),
            Duration.ofSeconds(2))) {
      assertThatThrownBy(other::members).isInstanceOf(EtcdException.class);
    }
  }
}
