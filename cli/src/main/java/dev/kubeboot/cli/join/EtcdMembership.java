package dev.kubeboot.cli.join;

import dev.kubeboot.cli.config.LocalEtcd;

/**
 * How join's etcd step makes this node a member of the stacked etcd cluster. The dry run swaps in
 * one that only says what it would do, so that no phase looks at a dry-run flag.
 */
public interface EtcdMembership {
  void join(JoinContext ctx) throws Exception;

  /** The dry run's: names the member it would add, changes nothing. */
  static EtcdMembership dryRun() {
    return ctx -> {
      var node = ctx.node();
      if (!(node.config().cluster().etcd() instanceof LocalEtcd)) {
        node.printer().phase("etcd", "External etcd mode: Skipping the etcd member join");
        return;
      }
      node.printer()
          .phase(
              "dryrun",
              "Would add etcd member %s (peer URL %s) as a learner through the members the"
                  + " cluster's etcd Pods name, write its manifest with"
                  + " --initial-cluster-state=existing and promote it once it has caught up",
              node.config().init().nodeRegistration().name(),
              StackedEtcdJoin.peerUrl(node));
    };
  }
}
