package dev.kubeboot.cli.config;

/** {@code ClusterConfiguration.proxy} (v1beta4): whether the kube-proxy addon is deployed. */
public record Proxy(boolean disabled) {}
