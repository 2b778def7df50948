package dev.kubeboot.cli.token;

import dev.kubeboot.cli.config.BootstrapToken;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code InitConfiguration.bootstrapTokens} as kubeadm settles them before init runs: one default
 * token when none is configured, kubeadm's defaults (ttl 24h, usages signing and authentication,
 * group system:bootstrappers:kubeadm:default-node-token), a generated value where none is given,
 * and {@code --token} / {@code --token-ttl} applied to the first.
 */
public final class BootstrapTokens {
  private BootstrapTokens() {}

  /**
   * @throws IllegalArgumentException naming the field and the bad value
   */
  public static List<BootstrapTokenSpec> resolve(
      List<BootstrapToken> configured,
      Optional<String> tokenFlag,
      Optional<Duration> ttlFlag,
      SecureRandom random) {
    List<BootstrapToken> tokens =
        configured.isEmpty()
            ? List.of(
                new BootstrapToken(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    List.of(),
                    List.of()))
            : configured;
    List<BootstrapTokenSpec> out = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      BootstrapToken t = tokens.get(i);
      String field = "InitConfiguration.bootstrapTokens[" + i + "]";
      Optional<String> text = i == 0 && tokenFlag.isPresent() ? tokenFlag : t.token();
      String textField = i == 0 && tokenFlag.isPresent() ? "--token" : field + ".token";
      BootstrapTokenString token =
          text.isEmpty() || text.get().isEmpty()
              ? BootstrapTokenString.generate(random)
              : BootstrapTokenString.parse(text.get())
                  .orElseThrow(
                      () ->
                          new IllegalArgumentException(
                              textField
                                  + ": the token \""
                                  + text.get()
                                  + "\" does not match [a-z0-9]{6}.[a-z0-9]{16}; generate one"
                                  + " with \"kubeboot token generate\""));
      Optional<Duration> ttl = i == 0 && ttlFlag.isPresent() ? ttlFlag : t.ttl();
      Optional<Instant> expires = Optional.empty();
      if (t.expires().isPresent()) {
        try {
          expires = Optional.of(OffsetDateTime.parse(t.expires().get()).toInstant());
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException(
              field
                  + ".expires: \""
                  + t.expires().get()
                  + "\" is not an RFC 3339 time such as 2030-01-02T15:04:05Z",
              e);
        }
      }
      try {
        out.add(
            new BootstrapTokenSpec(
                token,
                t.description().orElse(""),
                Optional.of(ttl.orElse(BootstrapTokenSpec.DEFAULT_TTL)),
                expires,
                t.usages().isEmpty() ? BootstrapTokenSpec.DEFAULT_USAGES : t.usages(),
                t.groups().isEmpty() ? List.of(BootstrapTokenSpec.DEFAULT_GROUP) : t.groups()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
      }
    }
    return out;
  }
}
