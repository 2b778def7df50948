package dev.kubeboot.cli.config;

/** {@code ClusterConfiguration.etcd}: exactly one of local or external. */
public sealed interface Etcd permits LocalEtcd, ExternalEtcd {}
