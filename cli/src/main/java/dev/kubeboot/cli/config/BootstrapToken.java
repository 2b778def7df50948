package dev.kubeboot.cli.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code InitConfiguration.bootstrapTokens[]}, as written (kubeboot's bootstrap-token phase applies
 * kubeadm's defaults). {@code expires} is kept as written (an RFC 3339 time).
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
