package dev.kubeboot.cli.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code InitConfiguration.bootstrapTokens[]}: accepted for kubeadm compatibility, not used by
 * kubeboot (it joins no nodes). {@code expires} is kept as written (an RFC 3339 time).
 */
public record BootstrapToken(
    Optional<String> token,
    Optional<String> description,
    Optional<Duration> ttl,
    Optional<String> expires,
    List<String> usages,
    List<String> groups) {
  public BootstrapToken {
    usages = List.copyOf(usages);
    groups = List.copyOf(groups);
  }
}
