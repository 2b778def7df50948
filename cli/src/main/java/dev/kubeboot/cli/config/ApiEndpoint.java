package dev.kubeboot.cli.config;

import java.net.InetAddress;

/**
 * {@code InitConfiguration.localAPIEndpoint}. As read, an unset address is null and an unset port 0
 * (kubeadm's zero value); the defaults fill both.
 *
 * @param advertiseAddress parsed where it was read, never resolved
 */
public record ApiEndpoint(InetAddress advertiseAddress, int bindPort) {
  static ApiEndpoint unset() {
    return new ApiEndpoint(null, 0);
  }

  ApiEndpoint withAdvertiseAddress(InetAddress address) {
    return new ApiEndpoint(address, bindPort);
  }

  ApiEndpoint withBindPort(int port) {
    return new ApiEndpoint(advertiseAddress, port);
  }
}
