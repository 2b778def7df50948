package dev.kubeboot.cli.cluster;

import dev.kubeboot.runner.worker.Sleeper;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Calls the API server until it answers, as kubeadm's API phases do while a fresh control plane
 * settles: no answer, 5xx, 429 and conflicts are tried again with a doubling wait (from {@code
 * first} up to {@code max}) until {@code timeout} has passed; any other refusal (403, 422, ...)
 * fails at once. The error names the request, the object and the API server's words.
 */
public final class ApiRetry {
  /** kubeadm's KubernetesAPICallRetryInterval. */
  public static final Duration FIRST_WAIT = Duration.ofMillis(500);

  public static final Duration MAX_WAIT = Duration.ofSeconds(4);

  private final Duration timeout;
  private final Clock clock;
  private final Sleeper sleeper;
  private final String server;

  /**
   * @param timeout how long a request keeps being tried ({@code timeouts.kubernetesAPICall})
   * @param server the API server's URL, for messages
   */
  public ApiRetry(Duration timeout, Clock clock, Sleeper sleeper, String server) {
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.server = Objects.requireNonNull(server, "server");
  }

  /** One request of the API. */
  @FunctionalInterface
  public interface Call<T> {
    T call();
  }

  /** What a refusal means for a request. */
  public enum Outcome {
    RETRY,
    FAIL
  }

  /** Which answers a request tries again after. */
  @FunctionalInterface
  public interface Classifier {
    Outcome classify(KubernetesClientException e);
  }

  /**
   * The usual classification: no answer (fabric8's code 0 or -1), 5xx, 429 and 409 are passing; the
   * rest are final.
   */
  public static Outcome transientOnly(KubernetesClientException e) {
    int code = e.getCode();
    return code <= 0 || code >= 500 || code == 429 || code == 409 ? Outcome.RETRY : Outcome.FAIL;
  }

  /**
   * Runs {@code call} until it succeeds, fails for good, or the timeout passes.
   *
   * @param what the request, e.g. {@code create ConfigMap kube-system/kubeadm-config}
   */
  public <T> T run(String what, Classifier classifier, Call<T> call)
      throws ApiRequestException, InterruptedException {
    Instant deadline = clock.instant().plus(timeout);
    Duration wait = FIRST_WAIT;
    int attempts = 0;
    while (true) {
      attempts++;
      try {
        return call.call();
      } catch (KubernetesClientException e) {
        if (Thread.currentThread().isInterrupted()
            || e.getCause() instanceof InterruptedException) {
          throw new InterruptedException("interrupted during " + what);
        }
        if (classifier.classify(e) == Outcome.FAIL) {
          throw refused(what, e);
        }
        Instant next = clock.instant().plus(wait);
        if (!next.isBefore(deadline)) {
          throw gaveUp(what, e, attempts);
        }
        sleeper.sleepUntil(next);
        wait = wait.multipliedBy(2).compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait.multipliedBy(2);
      }
    }
  }

  private ApiRequestException refused(String what, KubernetesClientException e) {
    return new ApiRequestException(
        "the API server at "
            + server
            + " refused to "
            + what
            + ": "
            + describe(e)
            + hint(e.getCode()),
        e.getCode(),
        e);
  }

  private ApiRequestException gaveUp(String what, KubernetesClientException e, int attempts) {
    String state =
        e.getCode() <= 0
            ? "could not reach the API server at " + server + " (" + describe(e) + ")"
            : "the API server at " + server + " kept answering " + describe(e);
    return new ApiRequestException(
        "cannot "
            + what
            + ": "
            + state
            + " ("
            + attempts
            + " attempts in "
            + timeout.toSeconds()
            + "s; raise InitConfiguration.timeouts.kubernetesAPICall to wait longer). Check the"
            + " control plane with: kubeboot status",
        e.getCode(),
        e);
  }

  static String describe(KubernetesClientException e) {
    if (e.getCode() <= 0) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String message = root.getMessage();
      return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
    String message =
        e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : e.getMessage();
    String reason =
        e.getStatus() != null && e.getStatus().getReason() != null
            ? " " + e.getStatus().getReason()
            : "";
    return e.getCode() + reason + ": " + message;
  }

  private static String hint(int code) {
    return switch (code) {
      case 401 ->
          "; the kubeconfig's credentials were not accepted: check --kubeconfig (kubeboot uses"
              + " admin.conf of --kubernetes-dir by default)";
      case 403 ->
          "; the kubeconfig's user may not do this: use an admin kubeconfig (admin.conf) with"
              + " --kubeconfig";
      default -> "";
    };
  }
}
