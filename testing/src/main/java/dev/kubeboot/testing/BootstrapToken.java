package dev.kubeboot.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A bootstrap token Secret ({@code kube-system/bootstrap-token-<id>}, type {@code
 * bootstrap.kubernetes.io/token}) read as cluster-bootstrap's helpers read it: data values decoded,
 * the expiration an RFC 3339 time (unparseable counts as expired; none never expires), usages
 * {@code usage-bootstrap-<usage>} exactly "true", extra groups from {@code auth-extra-groups} each
 * matching {@code system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]}.
 */
record BootstrapToken(String secretName, String uid, Map<String, String> data) {
  static final String SECRET_TYPE = "bootstrap.kubernetes.io/token";
  static final String NAMESPACE = "kube-system";
  static final String DEFAULT_GROUP = "system:bootstrappers";

  private static final Pattern SECRET_NAME = Pattern.compile("bootstrap-token-([a-z0-9]{6})");
  private static final Pattern TOKEN = Pattern.compile("([a-z0-9]{6})\\.([a-z0-9]{16})");
  private static final Pattern GROUP =
      Pattern.compile("system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]");

  BootstrapToken {
    data = Map.copyOf(data);
  }

  /** The token a Secret holds, if it is of the bootstrap token type. */
  static Optional<BootstrapToken> of(JsonNode secret) {
    if (!SECRET_TYPE.equals(secret.path("type").asString(""))) {
      return Optional.empty();
    }
    Map<String, String> data = new TreeMap<>();
    for (Map.Entry<String, JsonNode> entry : secret.path("data").properties()) {
      try {
        data.put(
            entry.getKey(),
            new String(
                Base64.getDecoder().decode(entry.getValue().asString("")), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        data.put(entry.getKey(), "");
      }
    }
    JsonNode meta = secret.path("metadata");
    return Optional.of(
        new BootstrapToken(meta.path("name").asString(""), meta.path("uid").asString(""), data));
  }

  /** {@code <id>.<secret>} split into its two parts, if it has the bootstrap token's shape. */
  static Optional<String[]> split(String token) {
    Matcher m = TOKEN.matcher(token);
    return m.matches() ? Optional.of(new String[] {m.group(1), m.group(2)}) : Optional.empty();
  }

  String data(String key) {
    return data.getOrDefault(key, "");
  }

  String id() {
    return data("token-id");
  }

  String secret() {
    return data("token-secret");
  }

  /** The token id in the Secret's name, if the name has the bootstrap-token-<id> form. */
  Optional<String> nameId() {
    Matcher m = SECRET_NAME.matcher(secretName);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** How long until it expires: empty for never, zero or less when expired (or unparseable). */
  Optional<Duration> remaining(Instant now) {
    String expiration = data("expiration");
    if (expiration.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Duration.between(now, OffsetDateTime.parse(expiration).toInstant()));
    } catch (DateTimeParseException e) {
      return Optional.of(Duration.ZERO);
    }
  }

  boolean expired(Instant now) {
    return remaining(now).map(d -> !d.isPositive()).orElse(false);
  }

  boolean usage(String usage) {
    return data("usage-bootstrap-" + usage).equals("true");
  }

  /**
   * system:bootstrappers plus the extra groups, sorted and de-duplicated.
   *
   * @throws IllegalArgumentException naming a group that does not match the pattern
   */
  List<String> groups() {
    TreeSet<String> groups = new TreeSet<>(List.of(DEFAULT_GROUP));
    String extra = data("auth-extra-groups");
    if (!extra.isEmpty()) {
      for (String group : extra.split(",")) {
        if (!GROUP.matcher(group).matches()) {
          throw new IllegalArgumentException(
              "auth-extra-groups: \"" + group + "\" does not match " + GROUP.pattern());
        }
        groups.add(group);
      }
    }
    return List.copyOf(groups);
  }

  /** The id and secret of a token valid for signing cluster-info now, as the bootstrapsigner. */
  Optional<Map.Entry<String, String>> forSigning(Instant now) {
    Optional<String> nameId = nameId();
    if (nameId.isEmpty()
        || id().isEmpty()
        || !nameId.get().equals(id())
        || secret().isEmpty()
        || expired(now)
        || !usage("signing")) {
      return Optional.empty();
    }
    return Optional.of(Map.entry(id(), secret()));
  }
}
