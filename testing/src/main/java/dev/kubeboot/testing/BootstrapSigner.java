package dev.kubeboot.testing;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * kube-controller-manager's bootstrapsigner controller: keeps {@code kube-public/cluster-info}
 * signed with every bootstrap token that may sign — a {@code bootstrap-token-<id>} Secret in
 * kube-system with matching {@code token-id}, a non-empty {@code token-secret}, not expired, and
 * {@code usage-bootstrap-signing: "true"} — as data key {@code jws-kubeconfig-<id>} = the detached
 * JWS of the {@code kubeconfig} value ({@link Jws}). Signatures of tokens that no longer qualify
 * are removed. The ConfigMap is written only when a signature changes, with its resourceVersion; a
 * conflict or NotFound is left to the next event, as the real controller does. Every change to a
 * token Secret or to cluster-info triggers a pass (collapsed to one while one runs), and a pass
 * also runs every {@link #RESYNC}.
 */
final class BootstrapSigner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BootstrapSigner.class);
  static final String CLUSTER_INFO = "cluster-info";
  static final String CLUSTER_INFO_PATH = "/api/v1/namespaces/kube-public/configmaps/cluster-info";
  static final String SIGNATURE_PREFIX = "jws-kubeconfig-";
  static final Duration RESYNC = Duration.ofMinutes(5);
  static final Duration RETRY = Duration.ofSeconds(2);

  private final ApiClient api;
  private final Clock clock;
  private final Semaphore wake = new Semaphore(0);
  private volatile Informer tokens;
  private volatile Informer clusterInfo;
  private volatile boolean closed;
  private Thread thread;

  BootstrapSigner(ApiClient api, Clock clock) {
    this.api = api;
    this.clock = clock;
  }

  /** Starts the signing thread on the two caches; returns at once. */
  void start(Informer tokenSecrets, Informer clusterInfoMaps) {
    this.tokens = tokenSecrets;
    this.clusterInfo = clusterInfoMaps;
    thread = Thread.ofVirtual().name("bootstrapsigner").start(this::run);
  }

  /** An informer listener that asks for a pass. */
  void poke(String name, Optional<JsonNode> before, Optional<JsonNode> after) {
    wake.release();
  }

  private void run() {
    while (!closed) {
      try {
        wake.tryAcquire(RESYNC.toMillis(), TimeUnit.MILLISECONDS);
        wake.drainPermits();
        if (!signOnce()) {
          Thread.sleep(RETRY);
          wake.release();
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One pass; false when the API server could not be asked (the pass is repeated). */
  boolean signOnce() throws InterruptedException {
    Optional<JsonNode> cached = clusterInfo.get(CLUSTER_INFO);
    if (cached.isEmpty() || !(cached.get().deepCopy() instanceof ObjectNode configMap)) {
      return true;
    }
    JsonNode content = configMap.path("data").path("kubeconfig");
    if (!content.isString()) {
      return true;
    }
    Map<String, String> wanted = new TreeMap<>();
    for (JsonNode secret : tokens.items().values()) {
      BootstrapToken.of(secret)
          .flatMap(t -> t.forSigning(clock.instant()))
          .ifPresent(t -> wanted.putIfAbsent(t.getKey(), t.getValue()));
    }
    ObjectNode data = (ObjectNode) configMap.get("data");
    boolean changed = false;
    for (String key : new ArrayList<>(data.propertyNames())) {
      if (key.startsWith(SIGNATURE_PREFIX)
          && !wanted.containsKey(key.substring(SIGNATURE_PREFIX.length()))) {
        data.remove(key);
        changed = true;
        log.info(
            "bootstrapsigner: removing the signature of token {}",
            key.substring(SIGNATURE_PREFIX.length()));
      }
    }
    for (Map.Entry<String, String> token : wanted.entrySet()) {
      String signature =
          Jws.detachedSignature(content.asString(), token.getKey(), token.getValue());
      String key = SIGNATURE_PREFIX + token.getKey();
      if (!signature.equals(data.path(key).asString(""))) {
        data.put(key, signature);
        changed = true;
        log.info("bootstrapsigner: signing cluster-info with token {}", token.getKey());
      }
    }
    if (!changed) {
      return true;
    }
    try {
      api.put(CLUSTER_INFO_PATH, configMap);
      return true;
    } catch (ApiClient.ApiError e) {
      if (e.code == 409 || e.code == 404) {
        return true;
      }
      log.info("bootstrapsigner: updating cluster-info failed: {}", e.getMessage());
      return false;
    } catch (IOException e) {
      log.info("bootstrapsigner: updating cluster-info failed: {}", EtcdHealth.describe(e));
      return false;
    }
  }

  @Override
  public void close() {
    closed = true;
    if (thread != null) {
      thread.interrupt();
    }
  }
}
