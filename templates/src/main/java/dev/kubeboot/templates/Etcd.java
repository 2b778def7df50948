package dev.kubeboot.templates;

/** kubeadm's {@code etcd}: either a local static pod or an external cluster. */
public sealed interface Etcd permits LocalEtcd, ExternalEtcd {}
