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

  BootstrapToken withToken(String value) {
    return new BootstrapToken(Optional.of(value), description, ttl, expires, usages, groups);
  }

  BootstrapToken withDefaults(
      Duration defaultTtl, List<String> defaultUsages, List<String> defaultGroups) {
    return new BootstrapToken(
        token,
        description,
        ttl.isPresent() ? ttl : Optional.of(defaultTtl),
        expires,
        usages.isEmpty() ? defaultUsages : usages,
        groups.isEmpty() ? defaultGroups : groups);
  }

  static BootstrapToken unset() {
    return new BootstrapToken(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        List.of());
  }
}
