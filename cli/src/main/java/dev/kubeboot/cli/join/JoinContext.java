package dev.kubeboot.cli.join;

import dev.kubeboot.cli.cluster.CertificateKey;
import dev.kubeboot.cli.init.InitContext;
import dev.kubeboot.cli.token.BootstrapTokenString;
import java.util.Objects;
import java.util.Optional;

/**
 * The typed run data of one join: this node's run data as init's phases take it (configuration from
 * the cluster, layout, sink, runner), the cluster discovery established, and how the etcd step
 * changes the etcd cluster.
 *
 * @param node this node
 * @param cluster the API server and CA that discovery established
 * @param token the bootstrap token the cluster's objects are read with
 * @param certificateKey decrypts kubeadm-certs; empty when the certificates are on disk already
 * @param etcd adds this node's etcd member (or, in a dry run, says it would)
 */
public record JoinContext(
    InitContext node,
    DiscoveredCluster cluster,
    BootstrapTokenString token,
    Optional<CertificateKey> certificateKey,
    EtcdMembership etcd) {
  public JoinContext {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(certificateKey, "certificateKey");
    Objects.requireNonNull(etcd, "etcd");
  }
}
