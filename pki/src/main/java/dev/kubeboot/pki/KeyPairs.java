package dev.kubeboot.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Generates key pairs of kubeadm's algorithms as JDK keys. RSA generation is CPU bound and
 * dominates {@code init}: callers should start it early with {@link #generateEach} and take the
 * keys when the certificates are issued.
 *
 * <p>Parallel generation runs on as many workers as there are cores, on platform threads by
 * default: CPU-bound work on virtual threads would hold every carrier thread and stall the caller's
 * other virtual threads until the keys are done.
 */
public final class KeyPairs {
  private final SecureRandom random;
  private final RsaKeyGenerator rsa;
  private final Executor executor;
  private final int parallelism;

  /** A fresh {@link SecureRandom}; one daemon thread per core for parallel generation. */
  public KeyPairs() {
    this(new SecureRandom());
  }

  public KeyPairs(SecureRandom random) {
    this(
        random,
        task -> Thread.ofPlatform().daemon().name("kubeboot-keygen").start(task),
        Runtime.getRuntime().availableProcessors());
  }

  /**
   * @param executor runs the workers of parallel generation
   * @param parallelism how many workers one call starts at most
   */
  public KeyPairs(SecureRandom random, Executor executor, int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
    }
    this.random = random;
    this.rsa = new RsaKeyGenerator(random);
    this.executor = executor;
    this.parallelism = parallelism;
  }

  public KeyPair generate(KeyAlgorithm algorithm) {
    if (algorithm.isRsa()) {
      return rsa.generate(algorithm.rsaModulusBits());
    }
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(algorithm.curveName()), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new PkiException(
          "this JDK cannot generate " + algorithm.kubeadmName() + " keys: " + e.getMessage(), e);
    }
  }

  /**
   * Starts generating {@code count} keys in parallel and returns one future per key. Workers take
   * the keys in list order, so the first futures complete first.
   */
  public List<CompletableFuture<KeyPair>> generateEach(KeyAlgorithm algorithm, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("key count must not be negative, got " + count);
    }
    List<CompletableFuture<KeyPair>> futures = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      futures.add(new CompletableFuture<>());
    }
    AtomicInteger next = new AtomicInteger();
    Runnable worker =
        () -> {
          for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
            CompletableFuture<KeyPair> future = futures.get(i);
            try {
              future.complete(generate(algorithm));
            } catch (RuntimeException | Error e) {
              future.completeExceptionally(e);
            }
          }
        };
    for (int w = 0; w < Math.min(count, parallelism); w++) {
      executor.execute(worker);
    }
    return List.copyOf(futures);
  }

  /** Starts generating {@code count} keys in parallel; completes when all are done. */
  public CompletableFuture<List<KeyPair>> generateAllAsync(KeyAlgorithm algorithm, int count) {
    List<CompletableFuture<KeyPair>> futures = generateEach(algorithm, count);
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApply(done -> futures.stream().map(CompletableFuture::join).toList());
  }

  /** Generates {@code count} keys in parallel and waits for them. */
  public List<KeyPair> generateAll(KeyAlgorithm algorithm, int count) throws InterruptedException {
    try {
      return generateAllAsync(algorithm, count).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new PkiException("key generation failed: " + e.getCause(), e.getCause());
    }
  }
}
