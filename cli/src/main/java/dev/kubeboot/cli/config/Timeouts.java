package dev.kubeboot.cli.config;

import java.time.Duration;

/**
 * {@code InitConfiguration.timeouts} (v1beta4). Each is null as read when unset; {@link
 * ConfigDefaults} fills every one. v1beta3's {@code apiServer.timeoutForControlPlane} becomes
 * {@code controlPlaneComponentHealthCheck}.
 */
public record Timeouts(
    Duration controlPlaneComponentHealthCheck,
    Duration kubeletHealthCheck,
    Duration kubernetesAPICall,
    Duration etcdAPICall,
    Duration tlsBootstrap,
    Duration discovery,
    Duration upgradeManifests) {
  static Timeouts unset() {
    return new Timeouts(null, null, null, null, null, null, null);
  }
}
