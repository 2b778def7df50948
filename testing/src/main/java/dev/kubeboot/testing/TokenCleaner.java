package dev.kubeboot.testing;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * kube-controller-manager's tokencleaner controller: deletes a bootstrap token Secret in
 * kube-system once its {@code expiration} has passed (an unparseable one counts as passed), with
 * its UID as precondition so that a Secret re-created under the same name survives; NotFound and
 * Conflict are not errors. A token that expires later is looked at again when it does. Secrets
 * without an expiration live forever.
 */
final class TokenCleaner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TokenCleaner.class);
  static final Duration RETRY = Duration.ofSeconds(5);

  private final ApiClient api;
  private final Clock clock;
  private final JsonMapper json;
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("tokencleaner").factory());
  private volatile Informer tokens;

  TokenCleaner(ApiClient api, Clock clock, JsonMapper json) {
    this.api = api;
    this.clock = clock;
    this.json = json;
  }

  void start(Informer tokenSecrets) {
    this.tokens = tokenSecrets;
  }

  /** An informer listener: an added or changed token Secret is looked at. */
  void changed(String name, Optional<JsonNode> before, Optional<JsonNode> after) {
    after.ifPresent(secret -> timers.execute(() -> evaluate(name)));
  }

  private void evaluate(String name) {
    Informer cache = tokens;
    Optional<JsonNode> secret = cache == null ? Optional.empty() : cache.get(name);
    Optional<BootstrapToken> token = secret.flatMap(BootstrapToken::of);
    if (token.isEmpty()) {
      return;
    }
    Optional<Duration> remaining = token.get().remaining(clock.instant());
    if (remaining.isEmpty()) {
      return;
    }
    if (remaining.get().isPositive()) {
      timers.schedule(() -> evaluate(name), remaining.get().toMillis() + 1, TimeUnit.MILLISECONDS);
      return;
    }
    ObjectNode options =
        json.createObjectNode().put("apiVersion", "v1").put("kind", "DeleteOptions");
    options.putObject("preconditions").put("uid", token.get().uid());
    try {
      api.delete("/api/v1/namespaces/kube-system/secrets/" + name, options);
      log.info(
          "tokencleaner: deleted expired bootstrap token Secret kube-system/{} (expiration {})",
          name,
          token.get().data("expiration"));
    } catch (ApiClient.ApiError e) {
      if (e.code != 404 && e.code != 409) {
        log.info("tokencleaner: deleting kube-system/{} failed: {}", name, e.getMessage());
        timers.schedule(() -> evaluate(name), RETRY.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (IOException e) {
      log.info("tokencleaner: deleting kube-system/{} failed: {}", name, EtcdHealth.describe(e));
      timers.schedule(() -> evaluate(name), RETRY.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    timers.shutdownNow();
  }
}
