package dev.kubeboot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TablesTest {
  static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  final JsonMapper json = JsonMapper.builder().build();
  final Tables tables = new Tables(json, Clock.fixed(NOW, ZoneOffset.UTC));

  @ParameterizedTest(name = "{0} ago reads {1}")
  @CsvSource({
    "PT5S,5s",
    "PT119S,119s",
    "PT5M30S,5m30s",
    "PT2H,120m",
    "PT5H10M,5h10m",
    "PT30H,30h",
    "P3DT4H,3d4h",
    "P30D,30d"
  })
  void agesReadLikeKubectl(Duration ago, String shown) {
    assertThat(tables.humanDuration(NOW.minus(ago))).isEqualTo(shown);
  }

  @Test
  void aRunningStaticPodMirrorShowsReadyStatusAndRestartsWithTheirAge() {
    JsonNode pod =
        json.readTree(
            """
            {"kind":"Pod","metadata":{"name":"etcd-n1","namespace":"kube-system","creationTimestamp":"2026-01-01T11:00:00Z"},
             "spec":{"nodeName":"n1","containers":[{"name":"etcd"}]},
             "status":{"phase":"Running","podIP":"10.0.0.1","containerStatuses":[{"name":"etcd","ready":true,"restartCount":2,
               "state":{"running":{}},"lastState":{"terminated":{"exitCode":137,"finishedAt":"2026-01-01T11:58:00Z"}}}]}}
            """);
    JsonNode table = tables.table(pod, "Pod", null);
    assertThat(table.path("columnDefinitions").findValuesAsString("name"))
        .startsWith("Name", "Ready", "Status", "Restarts", "Age");
    assertThat(table.path("rows").get(0).path("cells").toString())
        .isEqualTo(
            "[\"etcd-n1\",\"1/1\",\"Running\",\"2 (2m ago)\",\"60m\",\"10.0.0.1\",\"n1\",\"<none>\",\"<none>\"]");
    assertThat(table.path("rows").get(0).path("object").path("kind").asString())
        .isEqualTo("PartialObjectMetadata");
  }

  @Test
  void aNodeShowsReadinessAndRoles() {
    JsonNode node =
        json.readTree(
            """
            {"kind":"NodeList","items":[{"kind":"Node","metadata":{"name":"n1","labels":{"node-role.kubernetes.io/control-plane":""},"creationTimestamp":"2026-01-01T11:59:00Z"},
             "status":{"conditions":[{"type":"Ready","status":"True"}],"nodeInfo":{"kubeletVersion":"v1.34.2"}}}]}
            """);
    JsonNode cells = tables.table(node, "Node", "None").path("rows").get(0).path("cells");
    assertThat(cells.toString())
        .startsWith("[\"n1\",\"Ready\",\"control-plane\",\"60s\",\"v1.34.2\"");
  }
}
