package dev.kubeboot.cli.etcd;

import dev.kubeboot.runner.worker.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * kubeadm's learner flow for a control-plane node joining a stacked etcd cluster: announce this
 * node as a learner (so that the cluster's quorum does not count it until it has caught up),
 * compute the {@code --initial-cluster} its etcd starts with, promote it once etcd accepts, and on
 * failure remove it again. Every call is retried every {@link #RETRY} up to the etcd API call
 * timeout while members do not answer or the learner is not in sync yet.
 */
public final class LearnerJoin {
  /** kubeadm's EtcdAPICallRetryInterval. */
  public static final Duration RETRY = Duration.ofMillis(500);

  private final EtcdCluster cluster;
  private final Duration timeout;
  private final Clock clock;
  private final Sleeper sleeper;

  /**
   * @param timeout how long each step keeps trying ({@code timeouts.etcdAPICall}, default 2m)
   */
  public LearnerJoin(EtcdCluster cluster, Duration timeout, Clock clock, Sleeper sleeper) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  /**
   * The member this node is in the cluster.
   *
   * @param added true when this call added it; false when a member with this peer URL was there
   *     already (an earlier run was stopped after adding it, or the node is rejoining)
   * @param initialCluster {@code name=peerURL,...} of every member, this node named {@code
   *     nodeName}, others that never started by their hex ID (as kubeadm writes it)
   */
  public record Announced(EtcdMember member, boolean added, String initialCluster) {}

  /**
   * Adds this node as a learner unless a member with its peer URL exists already. After a request
   * whose outcome is unknown (no answer) the member list is read again before adding, so a retry
   * never adds a second member.
   */
  public Announced announce(String nodeName, String peerUrl)
      throws EtcdException, InterruptedException {
    Instant deadline = clock.instant().plus(timeout);
    while (true) {
      try {
        List<EtcdMember> members = cluster.members();
        Optional<EtcdMember> existing =
            members.stream().filter(m -> m.hasPeerUrl(peerUrl)).findFirst();
        if (existing.isPresent()) {
          return new Announced(
              existing.get(), false, initialCluster(members, existing.get().id(), nodeName));
        }
        EtcdCluster.Added added = cluster.addLearner(peerUrl);
        return new Announced(
            added.member(), true, initialCluster(added.members(), added.member().id(), nodeName));
      } catch (EtcdException e) {
        retryOrThrow(e, deadline, "add " + peerUrl + " as a learner member");
      }
    }
  }

  /**
   * Promotes the learner to a voting member: returns at once when it votes already, and retries
   * while etcd says it is not in sync with the leader yet.
   */
  public void promote(long memberId) throws EtcdException, InterruptedException {
    Instant deadline = clock.instant().plus(timeout);
    while (true) {
      try {
        Optional<EtcdMember> member =
            cluster.members().stream().filter(m -> m.id() == memberId).findFirst();
        if (member.isEmpty()) {
          throw new EtcdException(
              "member "
                  + Long.toHexString(memberId)
                  + " is no longer in the etcd cluster: it was removed while joining",
              EtcdException.NOT_FOUND,
              null);
        }
        if (!member.get().learner()) {
          return;
        }
        cluster.promote(memberId);
        return;
      } catch (EtcdException e) {
        boolean notInSync =
            e.code().filter(c -> c == EtcdException.FAILED_PRECONDITION).isPresent();
        if (notInSync) {
          waitOrThrow(
              e,
              deadline,
              "promote learner "
                  + Long.toHexString(memberId)
                  + " (it has not caught up with the leader)");
        } else {
          retryOrThrow(e, deadline, "promote learner " + Long.toHexString(memberId));
        }
      }
    }
  }

  /**
   * The member list, read again while the members do not answer in time or etcd calls itself
   * unavailable (as kubeadm's listMembers backs off and retries): one slow answer from a busy
   * member is no reason to give up on the cluster. A refused connection is: no etcd runs at those
   * URLs, and waiting for one would only hold up a reset of a node whose etcd is stopped.
   */
  public List<EtcdMember> members() throws EtcdException, InterruptedException {
    Instant deadline = clock.instant().plus(timeout);
    while (true) {
      try {
        return cluster.members();
      } catch (EtcdException e) {
        if (e.nothingListens()) {
          throw new EtcdException("cannot read the member list: " + e.getMessage(), null, e);
        }
        retryOrThrow(e, deadline, "read the member list");
      }
    }
  }

  /**
   * Waits until every voting member answers healthy (kubeadm's WaitForClusterAvailable).
   *
   * @return the members
   */
  public List<EtcdMember> awaitAvailable() throws EtcdException, InterruptedException {
    Instant deadline = clock.instant().plus(timeout);
    while (true) {
      List<String> sick = new ArrayList<>();
      List<EtcdMember> members;
      try {
        members = cluster.members();
      } catch (EtcdException e) {
        retryOrThrow(e, deadline, "read the member list");
        continue;
      }
      for (EtcdMember m : members) {
        if (m.learner()) {
          continue;
        }
        boolean up =
            !m.clientUrls().isEmpty() && m.clientUrls().stream().anyMatch(cluster::healthy);
        if (!up) {
          sick.add(m.displayName());
        }
      }
      if (sick.isEmpty()) {
        return members;
      }
      waitOrThrow(
          new EtcdException("members not healthy: " + String.join(", ", sick), null, null),
          deadline,
          "wait for every etcd member to be healthy");
    }
  }

  /**
   * Removes the member again: a member that was added but never runs would count against the quorum
   * (once promoted) or linger as a learner. A member already gone counts as removed.
   */
  public void remove(long memberId) throws EtcdException, InterruptedException {
    Instant deadline = clock.instant().plus(timeout);
    while (true) {
      try {
        cluster.remove(memberId);
        return;
      } catch (EtcdException e) {
        if (e.code().filter(c -> c == EtcdException.NOT_FOUND).isPresent()) {
          return;
        }
        retryOrThrow(e, deadline, "remove member " + Long.toHexString(memberId));
      }
    }
  }

  /** Starts this node's etcd member once it is announced, and takes that back on failure. */
  public interface MemberStart {
    /**
     * Starts the member (writes its static Pod manifest).
     *
     * @param initialCluster {@code --initial-cluster} of every member, this node included
     */
    void start(String initialCluster) throws Exception;

    /** Stops the member again (removes its manifest); called after it was removed. */
    void undo() throws Exception;
  }

  /**
   * The whole learner flow: announce, start, promote once caught up, wait until every voter is
   * healthy. If anything fails after the announcement, the member is removed again and its start
   * undone, so that the cluster does not go on counting a member that never ran: when this run
   * added it, or it is still a learner that an earlier, interrupted run added. A voting member
   * found already (this node joined before) is never removed.
   *
   * @return this node's member, promoted
   * @throws Exception the first failure, with any failure of the rollback added as suppressed
   */
  public Announced join(String nodeName, String peerUrl, MemberStart start) throws Exception {
    Announced announced = announce(nodeName, peerUrl);
    try {
      start.start(announced.initialCluster());
      promote(announced.member().id());
      awaitAvailable();
      return announced;
    } catch (Exception e) {
      if (announced.added() || announced.member().learner()) {
        try {
          remove(announced.member().id());
          start.undo();
        } catch (Exception rollback) {
          e.addSuppressed(rollback);
        }
      }
      throw e;
    }
  }

  /** {@code --initial-cluster} for a member list: each member's name and first peer URL. */
  static String initialCluster(List<EtcdMember> members, long self, String nodeName) {
    List<String> parts = new ArrayList<>();
    for (EtcdMember m : members) {
      String name = m.id() == self ? nodeName : m.displayName();
      for (String url : m.peerUrls()) {
        parts.add(name + "=" + url);
      }
    }
    return String.join(",", parts);
  }

  /** No answer or "unavailable" is tried again until the deadline; a refusal fails at once. */
  private void retryOrThrow(EtcdException e, Instant deadline, String what)
      throws EtcdException, InterruptedException {
    if (!e.transientFailure()) {
      throw new EtcdException("cannot " + what + ": " + e.getMessage(), e.code().orElse(null), e);
    }
    waitOrThrow(e, deadline, what);
  }

  private void waitOrThrow(EtcdException e, Instant deadline, String what)
      throws EtcdException, InterruptedException {
    Instant next = clock.instant().plus(RETRY);
    if (next.isAfter(deadline)) {
      throw new EtcdException(
          "cannot "
              + what
              + " within "
              + timeout.toSeconds()
              + "s (timeouts.etcdAPICall): "
              + e.getMessage(),
          e.code().orElse(null),
          e);
    }
    sleeper.sleepUntil(next);
  }
}
