package dev.kubeboot.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The retry schedule on a fake clock: no real sleeping. */
class ApiRetryTest {
  private Instant now = Instant.parse("2025-01-01T00:00:00Z");
  private final List<Duration> waits = new ArrayList<>();

  private ApiRetry retry(Duration timeout) {
    Clock clock =
        new Clock() {
          @Override
          public ZoneOffset getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now;
          }
        };
    return new ApiRetry(
        timeout,
        clock,
        deadline -> {
          waits.add(Duration.between(now, deadline));
          now = deadline;
        },
        "https://10.0.0.7:6443");
  }

  private static KubernetesClientException answer(int code, String reason) {
    return new KubernetesClientException(
        new StatusBuilder().withCode(code).withReason(reason).withMessage("said no").build());
  }

  @Test
  void passingErrorsAreTriedAgainWithADoublingWait() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    String result =
        retry(Duration.ofMinutes(1))
            .run(
                "create ConfigMap kube-system/x",
                ApiRetry::transientOnly,
                () -> {
                  int n = calls.incrementAndGet();
                  if (n == 1) {
                    throw new KubernetesClientException("refused", new ConnectException("refused"));
                  }
                  if (n < 6) {
                    throw answer(n % 2 == 0 ? 503 : 429, "ServiceUnavailable");
                  }
                  return "stored";
                });
    assertThat(result).isEqualTo("stored");
    assertThat(waits)
        .containsExactly(
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(4));
  }

  @Test
  void aRefusalFailsAtOnceNamingTheRequestAndTheAnswer() {
    assertThatThrownBy(
            () ->
                retry(Duration.ofMinutes(1))
                    .run(
                        "create Secret kube-system/kubeadm-certs",
                        ApiRetry::transientOnly,
                        () -> {
                          throw answer(403, "Forbidden");
                        }))
        .isInstanceOf(ApiRequestException.class)
        .hasMessageContaining(
            "the API server at https://10.0.0.7:6443 refused to create Secret"
                + " kube-system/kubeadm-certs: 403 Forbidden: said no")
        .hasMessageContaining("admin kubeconfig");
    assertThat(waits).isEmpty();
  }

  @Test
  void anApiServerThatNeverAnswersIsGivenUpOnAfterTheTimeout() {
    assertThatThrownBy(
            () ->
                retry(Duration.ofSeconds(5))
                    .run(
                        "get Node n",
                        ApiRetry::transientOnly,
                        () -> {
                          throw new KubernetesClientException(
                              "no", new ConnectException("Connection refused"));
                        }))
        .isInstanceOf(ApiRequestException.class)
        .hasMessageContaining("cannot get Node n: could not reach the API server")
        .hasMessageContaining("ConnectException: Connection refused")
        .hasMessageContaining("raise InitConfiguration.timeouts.kubernetesAPICall");
    assertThat(waits.stream().reduce(Duration.ZERO, Duration::plus))
        .isLessThan(Duration.ofSeconds(5));
  }
}
