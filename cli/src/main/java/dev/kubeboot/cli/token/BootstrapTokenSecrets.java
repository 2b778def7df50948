package dev.kubeboot.cli.token;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Bootstrap tokens as the API stores them: Secret {@code kube-system/bootstrap-token-<id>} of type
 * {@code bootstrap.kubernetes.io/token} (cluster-bootstrap's token/api and kubeadm's
 * bootstraptoken/v1 utils).
 */
public final class BootstrapTokenSecrets {
  public static final String NAMESPACE = "kube-system";
  public static final String TYPE = "bootstrap.kubernetes.io/token";
  public static final String NAME_PREFIX = "bootstrap-token-";
  public static final String USAGE_PREFIX = "usage-bootstrap-";

  private BootstrapTokenSecrets() {}

  public static String secretName(String tokenId) {
    return NAME_PREFIX + tokenId;
  }

  /**
   * The Secret of {@code spec} created at {@code now}: token-id and token-secret always; a
   * description if any; the expiration (UTC RFC 3339, no fraction) unless it never expires; {@code
   * usage-bootstrap-<usage>: "true"} per usage; the groups joined with commas.
   */
  public static Secret toSecret(BootstrapTokenSpec spec, Instant now) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("token-id", spec.token().id());
    data.put("token-secret", spec.token().secret());
    if (!spec.description().isEmpty()) {
      data.put("description", spec.description());
    }
    spec.expiration(now).ifPresent(at -> data.put("expiration", format(at)));
    for (String usage : spec.usages()) {
      data.put(USAGE_PREFIX + usage, "true");
    }
    if (!spec.groups().isEmpty()) {
      data.put("auth-extra-groups", String.join(",", spec.groups()));
    }
    return new SecretBuilder()
        .withNewMetadata()
        .withName(secretName(spec.token().id()))
        .withNamespace(NAMESPACE)
        .endMetadata()
        .withType(TYPE)
        .withData(encode(data))
        .build();
  }

  /** kubeadm's expiration format: {@code 2025-01-02T03:04:05Z}. */
  public static String format(Instant at) {
    return DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.SECONDS));
  }

  /**
   * The token a Secret holds, as kubeadm reads it back: usages are the {@code usage-bootstrap-*}
   * keys whose value is exactly {@code true}, sorted.
   *
   * @throws IllegalArgumentException naming the Secret and what is wrong with it
   */
  public static StoredToken fromSecret(Secret secret) {
    String name = secret.getMetadata().getName();
    Map<String, String> data = decode(secret);
    String id = data.getOrDefault("token-id", "");
    if (!BootstrapTokenString.ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "Secret kube-system/" + name + ": token-id \"" + id + "\" is not a bootstrap token id");
    }
    if (!name.equals(secretName(id))) {
      throw new IllegalArgumentException(
          "Secret kube-system/" + name + ": its name does not match its token-id \"" + id + "\"");
    }
    BootstrapTokenString token =
        BootstrapTokenString.parse(id + "." + data.getOrDefault("token-secret", ""))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "Secret kube-system/" + name + ": token-secret is not [a-z0-9]{16}"));
    Optional<Instant> expires = Optional.empty();
    String expiration = data.get("expiration");
    if (expiration != null) {
      try {
        expires = Optional.of(OffsetDateTime.parse(expiration).toInstant());
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "Secret kube-system/"
                + name
                + ": expiration \""
                + expiration
                + "\" is not an RFC 3339 time",
            e);
      }
    }
    TreeSet<String> usages = new TreeSet<>();
    data.forEach(
        (key, value) -> {
          if (key.startsWith(USAGE_PREFIX) && value.equals("true")) {
            usages.add(key.substring(USAGE_PREFIX.length()));
          }
        });
    String groups = data.getOrDefault("auth-extra-groups", "");
    return new StoredToken(
        token,
        data.getOrDefault("description", ""),
        expires,
        List.copyOf(usages),
        groups.isEmpty() ? List.of() : List.of(groups.split(",")));
  }

  private static Map<String, String> encode(Map<String, String> data) {
    Map<String, String> out = new LinkedHashMap<>();
    data.forEach(
        (k, v) ->
            out.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return out;
  }

  private static Map<String, String> decode(Secret secret) {
    Map<String, String> out = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) ->
                  out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      out.putAll(secret.getStringData());
    }
    return out;
  }

  /** A token read back from its Secret. */
  public record StoredToken(
      BootstrapTokenString token,
      String description,
      Optional<Instant> expires,
      List<String> usages,
      List<String> groups) {
    public StoredToken {
      usages = List.copyOf(usages);
      groups = List.copyOf(groups);
    }
  }
}
