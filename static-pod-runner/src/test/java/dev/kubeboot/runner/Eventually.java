package dev.kubeboot.runner;

import java.time.Duration;

/** Retries an assertion until it holds: workers act on their own threads. */
public final class Eventually {
  public interface Check {
    void run() throws Exception;
  }

  private Eventually() {}

  /** Within 30 s: generous, because a loaded 2-core CI machine stalls threads for seconds. */
  public static void eventually(Check check) {
    eventually(Duration.ofSeconds(30), check);
  }

  public static void eventually(Duration timeout, Check check) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        check.run();
        return;
      } catch (AssertionError | Exception e) {
        if (System.nanoTime() > deadline) {
          if (e instanceof AssertionError a) {
            throw a;
          }
          throw new AssertionError(e);
        }
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
