package dev.kubeboot.cli.join;

import dev.kubeboot.cli.config.LocalEtcd;
import dev.kubeboot.cli.etcd.EtcdCluster;
import dev.kubeboot.cli.etcd.EtcdGateway;
import dev.kubeboot.cli.etcd.EtcdJoinRecord;
import dev.kubeboot.cli.etcd.LearnerJoin;
import dev.kubeboot.cli.init.InitContext;
import dev.kubeboot.cli.init.InitPhases;
import dev.kubeboot.cli.io.FileMode;
import dev.kubeboot.runner.worker.Sleeper;
import dev.kubeboot.templates.IpText;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * kubeadm's etcd-join for stacked etcd: find the members through their etcd Pods, add this node as
 * a learner through them (mutual TLS with the health-check client certificate), write its etcd
 * manifest with every member in {@code --initial-cluster} and {@code --initial-cluster-state=
 * existing} (the runner started already picks it up), promote it once it has caught up and wait
 * until every voter is healthy. A failure after the add removes the member and the manifest again.
 * Before the add, the member's peer URL and the endpoints asked are recorded for reset.
 */
final class StackedEtcdJoin implements EtcdMembership {
  /** How long one call to one etcd member may take (kubeadm's per-call timeout). */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

  private final Clock clock;
  private final Sleeper sleeper;

  StackedEtcdJoin(Clock clock, Sleeper sleeper) {
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** This node's peer URL: where the other members reach its etcd. */
  static String peerUrl(InitContext node) {
    return "https://"
        + IpText.joinHostPort(
            IpText.format(node.config().init().localAPIEndpoint().advertiseAddress()), 2380);
  }

  @Override
  public void join(JoinContext ctx) throws Exception {
    InitContext node = ctx.node();
    if (!(node.config().cluster().etcd() instanceof LocalEtcd)) {
      node.printer().phase("etcd", "External etcd mode: Skipping the etcd member join");
      return;
    }
    var timeouts = node.config().init().timeouts();
    List<String> endpoints =
        EtcdEndpoints.of(node.api(), timeouts.kubernetesAPICall(), clock, sleeper);
    Path pki = node.layout().certDir();
    String name = node.config().init().nodeRegistration().name();
    String peerUrl = peerUrl(node);
    // Before the member exists: whatever kills this join from here on, reset finds it.
    node.sink()
        .write(
            node.layout().etcdJoinRecord(),
            new EtcdJoinRecord(peerUrl, endpoints).toBytes(),
            FileMode.PUBLIC);
    try (EtcdCluster cluster =
        EtcdGateway.open(
            endpoints,
            pki.resolve("etcd/ca.crt"),
            pki.resolve("etcd/healthcheck-client.crt"),
            pki.resolve("etcd/healthcheck-client.key"),
            CALL_TIMEOUT)) {
      var learner = new LearnerJoin(cluster, timeouts.etcdAPICall(), clock, sleeper);
      LearnerJoin.Announced member =
          learner.join(
              name,
              peerUrl,
              new LearnerJoin.MemberStart() {
                @Override
                public void start(String initialCluster) throws Exception {
                  node.printer()
                      .phase(
                          "etcd", "Announced new etcd member joining to the existing etcd cluster");
                  InitPhases.writeJoiningEtcdManifest(node, initialCluster);
                  node.printer()
                      .phase(
                          "etcd",
                          "Waiting for the new etcd member to join the cluster. This can take up"
                              + " to %ds",
                          timeouts.etcdAPICall().toSeconds());
                }

                @Override
                public void undo() throws Exception {
                  node.printer()
                      .phase(
                          "etcd",
                          "Removed etcd member %s again and its manifest: the join failed",
                          name);
                  InitPhases.removeEtcdManifest(node);
                }
              });
      node.printer()
          .phase(
              "etcd",
              "etcd member %s (%s) is a voting member of the cluster",
              name,
              member.member().idHex());
    }
  }
}
