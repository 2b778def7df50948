package dev.kubeboot.cli.etcd;

import java.util.List;

/**
 * The membership calls of an etcd cluster's client API that joining, resetting and status need.
 * {@link EtcdGateway} speaks them over etcd's v3 JSON gateway with mutual TLS; tests use a fake.
 * Every call goes to the first endpoint that answers.
 */
public interface EtcdCluster extends AutoCloseable {
  /** The client URLs asked, in order. */
  List<String> endpoints();

  List<EtcdMember> members() throws EtcdException;

  /**
   * Adds a learner with this peer URL.
   *
   * @return the new member and the member list including it
   */
  Added addLearner(String peerUrl) throws EtcdException;

  /** Makes a learner a voting member; etcd refuses while it has not caught up. */
  void promote(long memberId) throws EtcdException;

  void remove(long memberId) throws EtcdException;

  /** What the member behind one client URL says about itself. */
  EtcdEndpointStatus status(String endpoint) throws EtcdException;

  /** Whether the member behind one client URL answers {@code /health} with health true. */
  boolean healthy(String endpoint);

  @Override
  void close();

  /** The outcome of an add: the new member and every member with it. */
  record Added(EtcdMember member, List<EtcdMember> members) {
    public Added {
      members = List.copyOf(members);
    }
  }
}
