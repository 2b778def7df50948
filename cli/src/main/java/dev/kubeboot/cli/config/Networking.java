package dev.kubeboot.cli.config;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code ClusterConfiguration.networking}. Subnets may be dual-stack, comma-separated as in
 * kubeadm. {@code serviceSubnet} and {@code dnsDomain} are null as read when unset.
 */
public record Networking(String serviceSubnet, Optional<String> podSubnet, String dnsDomain) {
  public Networking {
    Objects.requireNonNull(podSubnet, "podSubnet");
  }

  static Networking unset() {
    return new Networking(null, Optional.empty(), null);
  }
}
