package dev.kubeboot.cli.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One bootstrap token as kubeadm's {@code bootstrapTokens[]} describes it, defaults applied.
 *
 * @param ttl how long it lives from its creation; empty or zero: for ever
 * @param expires a fixed expiry, which wins over {@code ttl}
 */
public record BootstrapTokenSpec(
    BootstrapTokenString token,
    String description,
    Optional<Duration> ttl,
    Optional<Instant> expires,
    List<String> usages,
    List<String> groups) {
  /** kubeadm's default TTL (bootstraptoken v1 SetDefaults_BootstrapToken). */
  public static final Duration DEFAULT_TTL = Duration.ofHours(24);

  public static final List<String> DEFAULT_USAGES = List.of("signing", "authentication");

  /** The group kubeadm's RBAC rules name (NodeBootstrapTokenAuthGroup). */
  public static final String DEFAULT_GROUP = "system:bootstrappers:kubeadm:default-node-token";

  public static final Set<String> KNOWN_USAGES = Set.of("signing", "authentication");

  /** cluster-bootstrap's BootstrapGroupPattern. */
  public static final Pattern GROUP =
      Pattern.compile("\\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\\z");

  public BootstrapTokenSpec {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(expires, "expires");
    usages = List.copyOf(usages);
    groups = List.copyOf(groups);
    ttl.filter(Duration::isNegative)
        .ifPresent(
            t -> {
              throw new IllegalArgumentException("a token's ttl must not be negative, got " + t);
            });
    for (String usage : usages) {
      if (!KNOWN_USAGES.contains(usage)) {
        throw new IllegalArgumentException(
            "unknown token usage \"" + usage + "\"; known usages are signing and authentication");
      }
    }
    for (String group : groups) {
      if (!GROUP.matcher(group).matches()) {
        throw new IllegalArgumentException(
            "token group \""
                + group
                + "\" does not match "
                + GROUP.pattern()
                + " (it must start with system:bootstrappers:)");
      }
    }
  }

  /** A token with kubeadm's defaults: ttl 24h, usages signing and authentication, its group. */
  public static BootstrapTokenSpec defaults(BootstrapTokenString token) {
    return new BootstrapTokenSpec(
        token,
        "",
        Optional.of(DEFAULT_TTL),
        Optional.empty(),
        DEFAULT_USAGES,
        List.of(DEFAULT_GROUP));
  }

  /** When it expires if created at {@code now}; empty: never. */
  public Optional<Instant> expiration(Instant now) {
    if (expires.isPresent()) {
      return expires;
    }
    return ttl.filter(Duration::isPositive).map(now::plus);
  }
}
