package dev.kubeboot.cli.etcd;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Whether this node's etcd member may leave its cluster (reset's remove-etcd-member step): a
 * learner always may; a voting member only when the voters left behind still have a quorum of
 * healthy members; the cluster's last member is not removed (the cluster ends with it).
 */
public sealed interface MemberRemoval {
  /** No member has this node's peer URL: nothing to remove. */
  record NotAMember() implements MemberRemoval {}

  /** The only member: removing it is refused, the cluster's data goes with the node. */
  record LastMember(EtcdMember member) implements MemberRemoval {}

  /** Removing it leaves a healthy quorum. */
  record Safe(EtcdMember member, int votersLeft, int healthyLeft) implements MemberRemoval {}

  /** Removing it (and stopping its etcd) would leave the other voters without a quorum. */
  record BreaksQuorum(EtcdMember member, int votersLeft, int healthyLeft, int quorum)
      implements MemberRemoval {
    public String reason() {
      return "removing etcd member "
          + member.displayName()
          + " would leave "
          + votersLeft
          + " voting member(s) of which "
          + healthyLeft
          + " are healthy, fewer than the quorum of "
          + quorum;
    }
  }

  /**
   * @param peerUrl this node's peer URL
   * @param healthy whether a member answers healthy
   */
  static MemberRemoval decide(
      List<EtcdMember> members, String peerUrl, Predicate<EtcdMember> healthy) {
    Optional<EtcdMember> mine = members.stream().filter(m -> m.hasPeerUrl(peerUrl)).findFirst();
    if (mine.isEmpty()) {
      return new NotAMember();
    }
    EtcdMember member = mine.get();
    if (members.size() == 1) {
      return new LastMember(member);
    }
    List<EtcdMember> votersLeft =
        members.stream().filter(m -> !m.learner() && m.id() != member.id()).toList();
    int healthyLeft = (int) votersLeft.stream().filter(healthy).count();
    if (member.learner()) {
      return new Safe(member, votersLeft.size(), healthyLeft);
    }
    int quorum = votersLeft.size() / 2 + 1;
    if (votersLeft.isEmpty() || healthyLeft < quorum) {
      return new BreaksQuorum(member, votersLeft.size(), healthyLeft, quorum);
    }
    return new Safe(member, votersLeft.size(), healthyLeft);
  }
}
