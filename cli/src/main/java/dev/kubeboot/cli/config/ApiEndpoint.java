package dev.kubeboot.cli.config;

/**
 * {@code InitConfiguration.localAPIEndpoint}. As read, an unset address is null and an unset port 0
 * (kubeadm's zero value); {@link ConfigDefaults} fills both.
 */
public record ApiEndpoint(String advertiseAddress, int bindPort) {
  static ApiEndpoint unset() {
    return new ApiEndpoint(null, 0);
  }
}
