package dev.kubeboot.cli.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The learner flow's decisions over a scripted cluster and a fake clock. */
class LearnerJoinTest {
  private static final String PEER_2 = "https://10.0.0.2:2380";

  /** A clock that moves only when the join sleeps. */
  private static final class FakeClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  /** Members in memory; calls can be made to fail once each with a scripted error. */
  private static final class ScriptedCluster implements EtcdCluster {
    final List<EtcdMember> members = new ArrayList<>();
    final Deque<EtcdException> addFailures = new ArrayDeque<>();
    final Deque<EtcdException> promoteFailures = new ArrayDeque<>();
    final Deque<EtcdException> removeFailures = new ArrayDeque<>();
    final Deque<EtcdException> listFailures = new ArrayDeque<>();
    final List<String> calls = new ArrayList<>();
    long nextId = 0x100;
    Map<String, Boolean> health = Map.of();

    @Override
    public List<String> endpoints() {
      return List.of("https://10.0.0.1:2379");
    }

    @Override
    public List<EtcdMember> members() throws EtcdException {
      calls.add("list");
      if (!listFailures.isEmpty()) {
        throw listFailures.pop();
      }
      return List.copyOf(members);
    }

    @Override
    public Added addLearner(String peerUrl) throws EtcdException {
      calls.add("add " + peerUrl);
      if (!addFailures.isEmpty()) {
        EtcdException e = addFailures.pop();
        if (e.getMessage().equals("added, then lost")) {
          members.add(new EtcdMember(nextId++, "", List.of(peerUrl), List.of(), true));
        }
        throw e;
      }
      var m = new EtcdMember(nextId++, "", List.of(peerUrl), List.of(), true);
      members.add(m);
      return new Added(m, members);
    }

    @Override
    public void promote(long memberId) throws EtcdException {
      calls.add("promote " + Long.toHexString(memberId));
      if (!promoteFailures.isEmpty()) {
        throw promoteFailures.pop();
      }
      members.replaceAll(
          m ->
              m.id() == memberId
                  ? new EtcdMember(m.id(), m.name(), m.peerUrls(), m.clientUrls(), false)
                  : m);
    }

    @Override
    public void remove(long memberId) throws EtcdException {
      calls.add("remove " + Long.toHexString(memberId));
      if (!removeFailures.isEmpty()) {
        throw removeFailures.pop();
      }
      if (!members.removeIf(m -> m.id() == memberId)) {
        throw new EtcdException("member not found", EtcdException.NOT_FOUND, null);
      }
    }

    @Override
    public EtcdEndpointStatus status(String endpoint) throws EtcdException {
      // The scripted cluster's view: the member serving the endpoint, the first voter leading,
      // every member caught up.
      EtcdMember member =
          members.stream()
              .filter(m -> m.clientUrls().contains(endpoint))
              .findFirst()
              .orElseThrow(
                  () ->
                      new EtcdException(
                          "no member serves " + endpoint, EtcdException.NOT_FOUND, null));
      long leader =
          members.stream()
              .filter(m -> !m.learner())
              .mapToLong(EtcdMember::id)
              .findFirst()
              .orElse(0);
      return new EtcdEndpointStatus(
          endpoint, member.id(), leader, "3.4.23", member.learner(), 1, 1);
    }

    @Override
    public boolean healthy(String endpoint) {
      return health.getOrDefault(endpoint, true);
    }

    @Override
    public void close() {}
  }

  private final FakeClock clock = new FakeClock();
  private final ScriptedCluster cluster = new ScriptedCluster();

  private LearnerJoin join() {
    return new LearnerJoin(cluster, Duration.ofMinutes(2), clock, d -> clock.now = d);
  }

  private static EtcdMember voter(long id, String name, String ip) {
    return new EtcdMember(
        id, name, List.of("https://" + ip + ":2380"), List.of("https://" + ip + ":2379"), false);
  }

  @Test
  void the_initial_cluster_names_this_node_and_never_started_members_by_hex_id() throws Exception {
    cluster.members.add(voter(0xa, "node1", "10.0.0.1"));
    cluster.members.add(
        new EtcdMember(0xbeef, "", List.of("https://10.0.0.3:2380"), List.of(), true));
    LearnerJoin.Announced a = join().announce("node2", PEER_2);
    assertThat(a.added()).isTrue();
    assertThat(a.initialCluster())
        .isEqualTo(
            "node1=https://10.0.0.1:2380,beef=https://10.0.0.3:2380,node2=https://10.0.0.2:2380");
  }

  @Test
  void an_add_whose_answer_was_lost_is_not_repeated() throws Exception {
    cluster.members.add(voter(0xa, "node1", "10.0.0.1"));
    cluster.addFailures.add(new EtcdException("added, then lost", null, null));
    LearnerJoin.Announced a = join().announce("node2", PEER_2);
    assertThat(a.added()).isFalse();
    assertThat(cluster.members).hasSize(2);
    assertThat(cluster.calls).containsExactly("list", "add " + PEER_2, "list");
  }

  @Test
  void a_refused_add_fails_at_once_naming_etcds_words() {
    cluster.members.add(voter(0xa, "node1", "10.0.0.1"));
    cluster.addFailures.add(new EtcdException("etcdserver: too many learner members", 9, null));
    assertThatThrownBy(() -> join().announce("node2", PEER_2))
        .isInstanceOf(EtcdException.class)
        .hasMessageContaining("cannot add " + PEER_2 + " as a learner member")
        .hasMessageContaining("too many learner members");
  }

  @Test
  void promotion_is_retried_while_the_learner_is_not_in_sync() throws Exception {
    cluster.members.add(voter(0xa, "node1", "10.0.0.1"));
    long id = join().announce("node2", PEER_2).member().id();
    for (int i = 0; i < 3; i++) {
      cluster.promoteFailures.add(
          new EtcdException(
              "etcdserver: can only promote a learner member which is in sync with leader",
              EtcdException.FAILED_PRECONDITION,
              null));
    }
    Instant start = clock.now;
    join().promote(id);
    assertThat(cluster.members).noneMatch(EtcdMember::learner);
    assertThat(Duration.between(start, clock.now)).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void a_voter_is_not_promoted_again() throws Exception {
    cluster.members.add(voter(0xa, "node1", "10.0.0.1"));
    join().promote(0xa);
    assertThat(cluster.calls).containsExactly("list");
  }

  @Test
  void promotion_gives_up_after_the_etcd_api_call_timeout() throws Exception {
    cluster.members.add(voter(0xa, "node1", "10.0.0.1"));
    long id = join().announce("node2", PEER_2).member().id();
    for (int i = 0; i < 1000; i++) {
      cluster.promoteFailures.add(
          new EtcdException("not in sync", EtcdException.FAILED_PRECONDITION, null));
    }
    assertThatThrownBy(() -> join().promote(id))
        .isInstanceOf(EtcdException.class)
        .hasMessageContaining("within 120s (timeouts.etcdAPICall)")
        .hasMessageContaining("not caught up");
  }

  @Test
  void removing_a_member_that_is_gone_counts_as_removed() throws Exception {
    join().remove(0x42);
    assertThat(cluster.calls).containsExactly("remove 42");
  }

  @Test
  void a_remove_etcd_calls_unhealthy_for_now_is_retried() throws Exception {
    cluster.members.add(voter(0xa, "node1", "10.0.0.1"));
    cluster.members.add(voter(0xb, "node2", "10.0.0.2"));
    cluster.removeFailures.add(
        new EtcdException("etcdserver: unhealthy cluster", EtcdException.UNAVAILABLE, null));
    join().remove(0xb);
    assertThat(cluster.calls).containsExactly("remove b", "remove b");
    assertThat(cluster.members).extracting(EtcdMember::name).containsExactly("node1");
  }

  @Test
  void the_member_list_is_read_again_while_no_member_answers() throws Exception {
    cluster.members.add(voter(0xa, "node1", "10.0.0.1"));
    cluster.listFailures.add(
        new EtcdException(
            "https://10.0.0.1:2379 did not answer (HTTP connect timed out)", null, null));
    cluster.listFailures.add(
        new EtcdException("etcdserver: leader changed", EtcdException.UNAVAILABLE, null));
    Instant start = clock.now;

    assertThat(join().members()).extracting(EtcdMember::name).containsExactly("node1");
    assertThat(cluster.calls).containsExactly("list", "list", "list");
    assertThat(Duration.between(start, clock.now)).isEqualTo(LearnerJoin.RETRY.multipliedBy(2));
  }

  @Test
  void the_member_list_gives_up_after_the_timeout_naming_the_last_failure() {
    for (int i = 0; i < 1000; i++) {
      cluster.listFailures.add(
          new EtcdException("https://10.0.0.1:2379 did not answer (refused)", null, null));
    }
    assertThatThrownBy(() -> join().members())
        .isInstanceOf(EtcdException.class)
        .hasMessageContaining("cannot read the member list within 120s")
        .hasMessageContaining("https://10.0.0.1:2379 did not answer (refused)");
    assertThat(cluster.calls).hasSize(241);
  }

  @Test
  void a_member_list_where_nothing_listens_is_not_asked_again() {
    cluster.listFailures.add(
        new EtcdException(
            "https://127.0.0.1:2379 did not answer (Connection refused)",
            null,
            new java.net.ConnectException("Connection refused")));
    assertThatThrownBy(() -> join().members())
        .isInstanceOf(EtcdException.class)
        .hasMessage(
            "cannot read the member list: https://127.0.0.1:2379 did not answer (Connection"
                + " refused)");
    assertThat(cluster.calls).containsExactly("list");
  }

  @Test
  void a_refused_member_list_is_not_asked_again() {
    cluster.listFailures.add(new EtcdException("etcdserver: permission denied", 7, null));
    assertThatThrownBy(() -> join().members())
        .isInstanceOf(EtcdException.class)
        .hasMessageContaining("permission denied");
    assertThat(cluster.calls).containsExactly("list");
  }

  @Test
  void availability_waits_for_every_voter_and_ignores_learners() throws Exception {
    cluster.members.add(voter(0xa, "node1", "10.0.0.1"));
    cluster.members.add(voter(0xb, "node2", "10.0.0.2"));
    cluster.members.add(new EtcdMember(0xc, "", List.of("https://10.0.0.3:2380"), List.of(), true));
    cluster.health = Map.of("https://10.0.0.2:2379", false);
    assertThatThrownBy(() -> join().awaitAvailable())
        .isInstanceOf(EtcdException.class)
        .hasMessageContaining("members not healthy: node2");
    cluster.health = Map.of();
    assertThat(join().awaitAvailable()).hasSize(3);
  }

  /**
   * Records what the join asked of this node's etcd member; a start that succeeds makes the member
   * at {@link #PEER_2} started, as its etcd does when it comes up.
   */
  private final class RecordingStart implements LearnerJoin.MemberStart {
    final List<String> calls = new ArrayList<>();
    final boolean fails;

    RecordingStart(boolean fails) {
      this.fails = fails;
    }

    @Override
    public void start(String initialCluster) throws Exception {
      calls.add("start " + initialCluster);
      if (fails) {
        throw new java.io.IOException("disk full");
      }
      cluster.members.replaceAll(
          m ->
              m.hasPeerUrl(PEER_2)
                  ? new EtcdMember(
                      m.id(), "node2", m.peerUrls(), List.of("https://10.0.0.2:2379"), m.learner())
                  : m);
    }

    @Override
    public void undo() {
      calls.add("undo");
    }
  }

  @Test
  void a_rerun_takes_over_the_never_started_learner_a_killed_join_left() throws Exception {
    // A join killed (kill -9: no rollback) after adding its learner, before writing its manifest.
    cluster.members.add(voter(0xa, "node1", "10.0.0.1"));
    cluster.members.add(new EtcdMember(0x77, "", List.of(PEER_2), List.of(), true));
    var start = new RecordingStart(false);
    LearnerJoin.Announced a = join().join("node2", PEER_2, start);
    assertThat(a.added()).isFalse();
    assertThat(a.member().id()).isEqualTo(0x77);
    assertThat(cluster.calls).noneMatch(c -> c.startsWith("add")).contains("promote 77");
    // Its etcd starts under this node's name: the learner is this node, not a stranger.
    assertThat(start.calls)
        .containsExactly("start node1=https://10.0.0.1:2380,node2=https://10.0.0.2:2380");
    assertThat(cluster.members).hasSize(2).noneMatch(EtcdMember::learner);
  }

  @Test
  void a_failed_rerun_removes_the_learner_a_killed_join_left() {
    cluster.members.add(voter(0xa, "node1", "10.0.0.1"));
    cluster.members.add(new EtcdMember(0x77, "", List.of(PEER_2), List.of(), true));
    var start = new RecordingStart(true);
    assertThatThrownBy(() -> join().join("node2", PEER_2, start)).hasMessage("disk full");
    assertThat(cluster.calls).contains("remove 77").noneMatch(c -> c.startsWith("add"));
    assertThat(start.calls).last().isEqualTo("undo");
    assertThat(cluster.members).extracting(EtcdMember::name).containsExactly("node1");
  }

  @Test
  void a_voting_member_found_already_is_not_removed_when_the_rerun_fails() {
    cluster.members.add(voter(1, "node1", "10.0.0.1"));
    cluster.members.add(voter(2, "node2", "10.0.0.2"));
    var calls = new ArrayList<String>();
    assertThatThrownBy(
            () ->
                join()
                    .join(
                        "node2",
                        PEER_2,
                        new LearnerJoin.MemberStart() {
                          @Override
                          public void start(String initialCluster) throws Exception {
                            throw new java.io.IOException("manifest not written");
                          }

                          @Override
                          public void undo() {
                            calls.add("undo");
                          }
                        }))
        .hasMessage("manifest not written");
    assertThat(calls).isEmpty();
    assertThat(cluster.calls).noneMatch(c -> c.startsWith("remove"));
    assertThat(cluster.members).hasSize(2);
  }
}
