package dev.kubeboot.cli.health;

import dev.kubeboot.cli.output.Printer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * kubeadm's wait-control-plane: every check polled in parallel every 500 ms until HTTP 200 or the
 * timeout; on failure every unhealthy component is named with its last error.
 */
public final class ControlPlaneWaiter {
  private static final Duration INTERVAL = Duration.ofMillis(500);
  private final Printer printer;

  public ControlPlaneWaiter(Printer printer) {
    this.printer = printer;
  }

  /**
   * Waits for one check alone (the runner comes before the components, as the kubelet in kubeadm).
   */
  public void await(String tag, HealthCheck check, Duration timeout)
      throws InterruptedException, UnhealthyException {
    awaitAll(tag, List.of(check), timeout);
  }

  public void awaitAll(String tag, List<HealthCheck> checks, Duration timeout)
      throws InterruptedException, UnhealthyException {
    for (var check : checks) {
      printer.phase(tag, "Checking %s at %s", check.component(), check.url());
    }
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    var lastError = new LinkedHashMap<String, String>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<String>> futures = new ArrayList<>();
      for (var check : checks) {
        futures.add(
            pool.submit(
                () -> {
                  while (true) {
                    var result = check.probe(Duration.ofSeconds(10));
                    if (result.healthy()) {
                      printer.phase(
                          tag,
                          "%s is healthy after %s",
                          check.component(),
                          human(Duration.ofNanos(System.nanoTime() - start)));
                      return null;
                    }
                    synchronized (lastError) {
                      lastError.put(check.component(), result.detail());
                    }
                    if (System.nanoTime() + INTERVAL.toNanos() > deadline) {
                      return result.detail();
                    }
                    Thread.sleep(INTERVAL);
                  }
                }));
      }
      var failures = new LinkedHashMap<String, String>();
      for (int i = 0; i < checks.size(); i++) {
        try {
          String failure = futures.get(i).get();
          if (failure != null) {
            failures.put(checks.get(i).component(), failure);
          }
        } catch (java.util.concurrent.ExecutionException e) {
          failures.put(checks.get(i).component(), String.valueOf(e.getCause()));
        }
      }
      if (!failures.isEmpty()) {
        throw new UnhealthyException(failures, timeout);
      }
    }
  }

  static String human(Duration d) {
    long ms = d.toMillis();
    return ms < 1000 ? ms + "ms" : String.format("%.3fs", ms / 1000.0);
  }

  /** Components that did not become healthy in time. */
  public static final class UnhealthyException extends Exception {
    private static final long serialVersionUID = 1L;
    private final Map<String, String> failures;

    UnhealthyException(Map<String, String> failures, Duration timeout) {
      super(message(failures, timeout));
      this.failures = Map.copyOf(failures);
    }

    public Map<String, String> failures() {
      return failures;
    }

    private static String message(Map<String, String> failures, Duration timeout) {
      var text =
          new StringBuilder(
              "the control plane did not become healthy within " + timeout.toSeconds() + "s:");
      failures.forEach(
          (component, error) -> text.append("\n  ").append(component).append(": ").append(error));
      text.append(
          "\nLikely causes: a component crashes at start (see `kubeboot status` and its log under the runner's state directory),"
              + " a port is taken by another program, or a certificate does not match its key."
              + "\nCheck with: kubeboot status; ls <state-dir>/pods/*/*/; kubeboot init phase preflight");
      return text.toString();
    }
  }
}
