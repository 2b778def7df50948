package dev.kubeboot.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * kube-apiserver's bootstrap token authenticator ({@code --enable-bootstrap-token-auth}): {@code
 * Authorization: Bearer <id>.<secret>} is accepted when the Secret {@code
 * kube-system/bootstrap-token-<id>} (read from etcd) is of the bootstrap token type, not being
 * deleted, holds the same secret (compared in constant time) and id, has not expired, is marked
 * {@code usage-bootstrap-authentication: "true"} and has valid extra groups. The user is {@code
 * system:bootstrap:<id>}, the groups system:bootstrappers, the extra groups and
 * system:authenticated.
 */
final class BootstrapTokenAuthenticator {
  private static final Logger log = LoggerFactory.getLogger(BootstrapTokenAuthenticator.class);

  private final ObjectStore store;
  private final Clock clock;

  BootstrapTokenAuthenticator(ObjectStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** The token's identity, or empty when it is not a valid bootstrap token (answered 401). */
  Optional<ClientIdentity> authenticate(String bearer) {
    Optional<String[]> parts = BootstrapToken.split(bearer);
    if (parts.isEmpty()) {
      return Optional.empty();
    }
    String id = parts.get()[0];
    String secretName = "bootstrap-token-" + id;
    Optional<ObjectNode> secret =
        store.find(ApiResource.SECRETS, BootstrapToken.NAMESPACE, secretName);
    if (secret.isEmpty()) {
      log.info("bootstrap token {}: no Secret {}/{}", id, BootstrapToken.NAMESPACE, secretName);
      return Optional.empty();
    }
    if (secret.get().path("metadata").has("deletionTimestamp")) {
      return Optional.empty();
    }
    Optional<BootstrapToken> token = BootstrapToken.of(secret.get());
    if (token.isEmpty()) {
      log.info(
          "bootstrap token {}: Secret {} is not of type {}",
          id,
          secretName,
          BootstrapToken.SECRET_TYPE);
      return Optional.empty();
    }
    BootstrapToken t = token.get();
    if (!MessageDigest.isEqual(
            t.secret().getBytes(StandardCharsets.UTF_8),
            parts.get()[1].getBytes(StandardCharsets.UTF_8))
        || !t.id().equals(id)) {
      log.info("bootstrap token {}: the secret does not match", id);
      return Optional.empty();
    }
    if (t.expired(clock.instant())) {
      log.info("bootstrap token {}: expired at {}", id, t.data("expiration"));
      return Optional.empty();
    }
    if (!t.usage("authentication")) {
      log.info("bootstrap token {}: not marked usage-bootstrap-authentication=true", id);
      return Optional.empty();
    }
    List<String> groups;
    try {
      groups = new ArrayList<>(t.groups());
    } catch (IllegalArgumentException e) {
      log.info("bootstrap token {}: {}", id, e.getMessage());
      return Optional.empty();
    }
    groups.add("system:authenticated");
    return Optional.of(
        new ClientIdentity(
            "system:bootstrap:" + id, groups, ClientIdentity.Source.BOOTSTRAP_TOKEN));
  }
}
