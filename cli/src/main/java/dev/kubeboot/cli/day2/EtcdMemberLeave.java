package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.etcd.EtcdCluster;
import dev.kubeboot.cli.etcd.EtcdException;
import dev.kubeboot.cli.etcd.EtcdGateway;
import dev.kubeboot.cli.etcd.EtcdJoinRecord;
import dev.kubeboot.cli.etcd.EtcdManifestUrls;
import dev.kubeboot.cli.etcd.EtcdMember;
import dev.kubeboot.cli.etcd.LearnerJoin;
import dev.kubeboot.cli.etcd.MemberRemoval;
import dev.kubeboot.runner.worker.Sleeper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * reset's remove-etcd-member step: before this node's etcd and its data go, take its member out of
 * the cluster so that the others do not keep counting a member that will never answer again. What
 * to do is decided first (before reset changes anything), done after the user confirmed.
 */
final class EtcdMemberLeave {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);

  /** What reset will do about this node's etcd member. */
  sealed interface Step {}

  /** No stacked etcd here, or its member is not listed: nothing to remove. */
  record Nothing(String why) implements Step {}

  /** The cluster could not be asked: reset goes on, the member must be removed by hand. */
  record Unreachable(String peerUrl, String why) implements Step {}

  /** Remove this member, asking the members at {@code endpoints}. */
  record Remove(MemberRemoval decision, EtcdMember member, List<String> endpoints) implements Step {
    Remove {
      endpoints = List.copyOf(endpoints);
    }
  }

  /** Removing it would break the others' quorum (or end the cluster): refused unless forced. */
  record Refuse(String reason) implements Step {}

  private EtcdMemberLeave() {}

  /**
   * This node's member is looked up by the peer URL its etcd manifest gives, else by the one a join
   * recorded before it added the member (a join killed before the manifest was written); the
   * cluster is asked at the manifest's client URLs and then at the members the join asked, so a
   * node whose own etcd never started still finds a member that answers.
   *
   * @param joined what a control-plane join recorded, if this node joined one
   * @param forced remove even when the others lose their quorum
   * @param timeout how long to keep asking for the member list while no member answers (a member
   *     busy starting, or on a loaded machine, can miss one call's timeout)
   */
  static Step plan(
      Path manifest, Optional<EtcdJoinRecord> joined, Path pki, boolean forced, Duration timeout)
      throws IOException, InterruptedException {
    Optional<EtcdManifestUrls> urls = EtcdManifestUrls.read(manifest);
    if (urls.isEmpty() && joined.isEmpty()) {
      return new Nothing("no etcd manifest " + manifest + ": assuming external etcd");
    }
    Optional<String> peer =
        urls.flatMap(EtcdManifestUrls::peerUrl).or(() -> joined.map(EtcdJoinRecord::peerUrl));
    Set<String> endpoints = new LinkedHashSet<>();
    urls.ifPresent(u -> endpoints.addAll(u.clientUrls()));
    joined.ifPresent(j -> endpoints.addAll(j.endpoints()));
    if (peer.isEmpty() || endpoints.isEmpty()) {
      return new Nothing(
          manifest + " names no --advertise-client-urls or --initial-advertise-peer-urls");
    }
    String peerUrl = peer.get();
    List<String> asked = List.copyOf(endpoints);
    try (EtcdCluster cluster = open(asked, pki)) {
      Clock clock = Clock.systemUTC();
      List<EtcdMember> members =
          new LearnerJoin(cluster, timeout, clock, Sleeper.of(clock)).members();
      MemberRemoval decision =
          MemberRemoval.decide(
              members,
              peerUrl,
              m -> !m.clientUrls().isEmpty() && m.clientUrls().stream().anyMatch(cluster::healthy));
      return switch (decision) {
        case MemberRemoval.NotAMember n ->
            new Nothing("no etcd member has the peer URL " + peerUrl + ": removed already");
        case MemberRemoval.LastMember last ->
            new Nothing(
                "etcd member "
                    + last.member().displayName()
                    + " is the cluster's only member: the cluster ends with this node's data");
        case MemberRemoval.Safe safe -> new Remove(safe, safe.member(), asked);
        case MemberRemoval.BreaksQuorum breaks ->
            forced
                ? new Remove(breaks, breaks.member(), asked)
                : new Refuse(
                    breaks.reason()
                        + "; bring the other members back first, or pass"
                        + " --force-etcd-member-removal to remove it anyway");
      };
    } catch (EtcdException e) {
      return new Unreachable(peerUrl, e.getMessage());
    }
  }

  /** Removes the member, retrying while etcd answers "unavailable" (up to {@code timeout}). */
  static void remove(Remove step, Path pki, Duration timeout)
      throws EtcdException, InterruptedException {
    try (EtcdCluster cluster = open(step.endpoints(), pki)) {
      Clock clock = Clock.systemUTC();
      new LearnerJoin(cluster, timeout, clock, Sleeper.of(clock)).remove(step.member().id());
    }
  }

  private static EtcdCluster open(List<String> endpoints, Path pki) throws EtcdException {
    return EtcdGateway.open(
        endpoints,
        pki.resolve("etcd/ca.crt"),
        pki.resolve("etcd/healthcheck-client.crt"),
        pki.resolve("etcd/healthcheck-client.key"),
        CALL_TIMEOUT);
  }
}
