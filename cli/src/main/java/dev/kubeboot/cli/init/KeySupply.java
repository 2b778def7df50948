package dev.kubeboot.cli.init;

import dev.kubeboot.pki.KeyAlgorithm;
import dev.kubeboot.pki.KeyPairs;
import java.security.KeyPair;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Private keys for one init run, generated in parallel ahead of need: key generation dominates
 * init's time, and the phases that use keys run one after another.
 */
final class KeySupply {
  private final KeyPairs keyPairs;
  private final KeyAlgorithm algorithm;
  private final Deque<CompletableFuture<KeyPair>> pending = new ArrayDeque<>();

  KeySupply(KeyPairs keyPairs, KeyAlgorithm algorithm) {
    this.keyPairs = keyPairs;
    this.algorithm = algorithm;
  }

  /** Starts generating {@code count} keys now. */
  synchronized void prefetch(int count) {
    pending.addAll(keyPairs.generateEach(algorithm, count));
  }

  synchronized KeyPair next() throws InterruptedException {
    var future = pending.poll();
    if (future == null) {
      return keyPairs.generate(algorithm);
    }
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "key generation failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  KeyAlgorithm algorithm() {
    return algorithm;
  }

  /** Stops keys nobody will take. */
  synchronized void close() {
    pending.forEach(f -> f.cancel(true));
    pending.clear();
  }
}
