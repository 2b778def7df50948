package dev.kubeboot.cli.etcd;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The etcd cluster as {@code kubeboot status} shows it: every member, which one leads, and whether
 * each answers healthy; or why the member list could not be read.
 */
public record EtcdClusterReport(List<Member> members, Optional<String> problem) {
  public EtcdClusterReport {
    members = List.copyOf(members);
  }

  /**
   * One member.
   *
   * @param name its name, or its hex ID while it has never started
   * @param clientUrl its first client URL, "-" while it has none
   * @param version its etcd version, "-" when it did not say
   */
  public record Member(
      String name,
      String id,
      String peerUrl,
      String clientUrl,
      boolean learner,
      boolean leader,
      boolean healthy,
      String version) {}

  /** Healthy when the list was read and every voting member answers healthy. */
  public boolean healthy() {
    return problem.isEmpty()
        && !members.isEmpty()
        && members.stream().filter(m -> !m.learner()).allMatch(Member::healthy);
  }

  /** Asks the cluster for its members, then each member for its health and status. */
  public static EtcdClusterReport inspect(EtcdCluster cluster) {
    List<EtcdMember> members;
    try {
      members = cluster.members();
    } catch (EtcdException e) {
      return new EtcdClusterReport(List.of(), Optional.of(e.getMessage()));
    }
    List<Member> out = new ArrayList<>();
    for (EtcdMember m : members) {
      String clientUrl = m.clientUrls().isEmpty() ? "-" : m.clientUrls().getFirst();
      boolean healthy = !m.clientUrls().isEmpty() && cluster.healthy(clientUrl);
      boolean leader = false;
      String version = "-";
      if (healthy) {
        try {
          EtcdEndpointStatus status = cluster.status(clientUrl);
          leader = status.isLeader();
          version = status.version();
        } catch (EtcdException e) {
          healthy = false;
        }
      }
      out.add(
          new Member(
              m.displayName(),
              m.idHex(),
              m.peerUrls().isEmpty() ? "-" : m.peerUrls().getFirst(),
              clientUrl,
              m.learner(),
              leader,
              healthy,
              version));
    }
    return new EtcdClusterReport(out, Optional.empty());
  }
}
