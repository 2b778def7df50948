package dev.kubeboot.cli.config;

/** {@code ClusterConfiguration.proxy} (the kube-proxy addon, v1beta4): not used by kubeboot. */
public record Proxy(boolean disabled) {}
