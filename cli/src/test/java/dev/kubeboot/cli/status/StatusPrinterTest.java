package dev.kubeboot.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** How status prints: YAML without anchors, and what it says when there are no certificates. */
class StatusPrinterTest {
  private static StatusReport report(int certificates, List<String> warnings) {
    return new StatusReport(
        false,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        "-",
        "/etc/kubernetes/manifests",
        "-",
        List.of(),
        List.of(
            new ComponentReport(
                "etcd",
                Optional.empty(),
                "Absent",
                false,
                0,
                Optional.empty(),
                Optional.empty(),
                false,
                "no manifest /etc/kubernetes/manifests/etcd.yaml",
                Optional.of(Duration.ZERO))),
        certificates,
        warnings,
        Optional.empty());
  }

  private static String print(StatusReport report, String format) throws Exception {
    var text = new StringWriter();
    StatusPrinter.print(report, format, new PrintWriter(text));
    return text.toString();
  }

  @Test
  void yamlWritesEqualEmptyListsOutInsteadOfAnchoringThem() throws Exception {
    // Two empty lists: List.of() is one object, which SnakeYAML anchored as &id001 / *id001.
    String yaml = print(report(0, List.of()), "yaml");
    assertThat(yaml).doesNotContain("&id").doesNotContain("*id");
    assertThat(yaml).contains("  manifestErrors: []\n").contains("certificateWarnings: []\n");
    Map<String, Object> doc = new Yaml().load(yaml);
    assertThat(doc).containsEntry("certificatesChecked", 0).containsEntry("healthy", false);
  }

  @Test
  void noCertificatesIsSaidAsSuchNotAsNoneExpiring() throws Exception {
    assertThat(print(report(0, List.of()), "table"))
        .contains("Certificates: no certificates found\n")
        .doesNotContain("expire");
    assertThat(print(report(14, List.of()), "table"))
        .contains("Certificates: 14 checked, none expire within 30 days\n");
    assertThat(print(report(14, List.of("/pki/ca.crt expired on 2020-01-01T00:00:00Z")), "table"))
        .contains("Certificates: \n  WARNING /pki/ca.crt expired on 2020-01-01T00:00:00Z\n");
  }
}
