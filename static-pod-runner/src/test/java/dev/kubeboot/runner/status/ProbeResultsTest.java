package dev.kubeboot.runner.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeboot.runner.pod.PodKey;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProbeResultsTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:10.250Z");

  private static ProbeRecord result(String pod, String containerId, String probe, boolean ok) {
    return new ProbeRecord(
        new PodKey("kube-system", pod),
        "uid1",
        "main",
        containerId,
        probe,
        ok,
        ok ? "" : "connection refused",
        T,
        Duration.ofMillis(7),
        Duration.ofSeconds(10),
        Duration.ofSeconds(15));
  }

  @Test
  void aNewerResultOfTheSameProbeReplacesTheOlder() {
    var results = new ProbeResults();
    results.record(result("etcd-n1", "c1", "Liveness", false));
    results.record(result("etcd-n1", "c1", "Liveness", true));
    results.record(result("etcd-n1", "c1", "Startup", true));

    assertThat(results.all())
        .containsExactly(
            result("etcd-n1", "c1", "Liveness", true), result("etcd-n1", "c1", "Startup", true));
  }

  @Test
  void forgettingAContainerInstanceKeepsTheResultsOfANewerOne() {
    var results = new ProbeResults();
    results.record(result("a-n1", "c1", "Liveness", true));
    results.record(result("b-n1", "c2", "Liveness", true));

    results.forget("c1");

    assertThat(results.all()).containsExactly(result("b-n1", "c2", "Liveness", true));
  }

  @Test
  void aResultIsFreshUntilTheNextOneIsOverdue() {
    ProbeRecord r = result("etcd-n1", "c1", "Liveness", true);

    assertThat(r.freshAt(T)).isTrue();
    // period 10 s + timeout 15 s + 1 s of schedule slack
    assertThat(r.freshAt(T.plusSeconds(26))).isTrue();
    assertThat(r.freshAt(T.plusSeconds(26).plusMillis(1))).isFalse();
    // from a clock far ahead of ours: not trusted either
    assertThat(r.freshAt(T.minusSeconds(5))).isFalse();
  }

  @Test
  void theJsonReadsBackToTheSameResults() {
    var results = new ProbeResults();
    results.record(result("etcd-n1", "c1", "Liveness", false));
    results.record(result("kube-apiserver-n1", "c2", "Readiness", true));

    String json = ProbeResultsJson.write(results.all());

    assertThat(ProbeResultsJson.parse(json)).isEqualTo(results.all());
    assertThat(json)
        .contains("\"time\" : \"2026-01-01T00:00:10.250Z\"")
        .contains("\"latencyMillis\" : 7");
  }

  @Test
  void aDocumentOfAnotherKindIsRefusedNamingTheField() {
    assertThatThrownBy(() -> ProbeResultsJson.parse("{\"kind\": \"RunnerStatus\", \"pods\": []}"))
        .isInstanceOf(StatusFormatException.class)
        .hasMessageContaining("field kind is RunnerStatus, expected ProbeResults");
    assertThatThrownBy(
            () ->
                ProbeResultsJson.parse(
                    "{\"kind\": \"ProbeResults\", \"probes\": [{\"namespace\": \"x\"}]}"))
        .isInstanceOf(StatusFormatException.class)
        .hasMessageContaining("field pod is missing");
  }
}
