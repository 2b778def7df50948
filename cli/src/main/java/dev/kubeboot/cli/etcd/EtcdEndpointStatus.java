package dev.kubeboot.cli.etcd;

/**
 * What one member says about itself ({@code etcdctl endpoint status}).
 *
 * @param endpoint the client URL asked
 * @param memberId the member that answered
 * @param leaderId the leader it follows (0: none)
 * @param version its etcd version
 * @param learner whether it is still a learner
 * @param raftIndex the Raft index it has
 * @param raftAppliedIndex the Raft index it has applied
 */
public record EtcdEndpointStatus(
    String endpoint,
    long memberId,
    long leaderId,
    String version,
    boolean learner,
    long raftIndex,
    long raftAppliedIndex) {
  public boolean isLeader() {
    return leaderId != 0 && leaderId == memberId;
  }
}
