package dev.kubeboot.cli.config;

import java.util.Objects;
import java.util.Optional;

/** {@code ClusterConfiguration.dns}: the CoreDNS addon's image and whether it is deployed. */
public record Dns(Optional<String> imageRepository, Optional<String> imageTag, boolean disabled) {
  public Dns {
    Objects.requireNonNull(imageRepository, "imageRepository");
    Objects.requireNonNull(imageTag, "imageTag");
  }

  static Dns empty() {
    return new Dns(Optional.empty(), Optional.empty(), false);
  }
}
