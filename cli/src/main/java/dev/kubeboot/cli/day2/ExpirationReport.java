package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.config.GoYaml;
import dev.kubeboot.cli.output.GoJson;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What `certs check-expiration` prints: kubeadm's two tables (Go tabwriter layout: min width 10,
 * padding 3) or kubeadm's {@code CertificateExpirationInfo} as JSON or YAML.
 */
record ExpirationReport(List<Row> certificates, List<Row> authorities) {
  private static final DateTimeFormatter EXPIRES =
      DateTimeFormatter.ofPattern("MMM dd, uuuu HH:mm 'UTC'", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  /**
   * One certificate or CA; {@code expires} empty when the file is missing.
   *
   * @param caName the signing CA, null for a CA
   */
  record Row(String name, Optional<Instant> expires, String caName, boolean externallyManaged) {
    Duration residual(Instant now) {
      return Duration.between(now, expires.orElseThrow());
    }
  }

  ExpirationReport {
    certificates = List.copyOf(certificates);
    authorities = List.copyOf(authorities);
  }

  String table(Instant now) {
    var out = new StringBuilder();
    var certRows = new ArrayList<List<String>>();
    certRows.add(
        List.of(
            "CERTIFICATE",
            "EXPIRES",
            "RESIDUAL TIME",
            "CERTIFICATE AUTHORITY",
            "EXTERNALLY MANAGED"));
    for (Row row : certificates) {
      certRows.add(
          row.expires().isEmpty()
              ? List.of("!MISSING! " + row.name(), "", "", "", "")
              : List.of(
                  row.name(),
                  EXPIRES.format(row.expires().get()),
                  KubeadmText.shortHumanDuration(row.residual(now)),
                  row.caName(),
                  "%-8s".formatted(yesNo(row))));
    }
    KubeadmText.tabulate(certRows, out);
    out.append('\n');
    var caRows = new ArrayList<List<String>>();
    caRows.add(List.of("CERTIFICATE AUTHORITY", "EXPIRES", "RESIDUAL TIME", "EXTERNALLY MANAGED"));
    for (Row row : authorities) {
      caRows.add(
          row.expires().isEmpty()
              ? List.of("!MISSING! " + row.name(), "", "", "")
              : List.of(
                  row.name(),
                  EXPIRES.format(row.expires().get()),
                  KubeadmText.shortHumanDuration(row.residual(now)),
                  "%-8s".formatted(yesNo(row))));
    }
    KubeadmText.tabulate(caRows, out);
    return out.toString();
  }

  /** kubeadm's {@code -o json}: Go's JSON printer, four-space indent, fields in struct order. */
  String json(Instant now) {
    return GoJson.marshalIndent(document(now, LinkedHashMap::new), "    ");
  }

  /** kubeadm's {@code -o yaml}: the same object through sigs.k8s.io/yaml, keys sorted. */
  String yaml(Instant now) {
    return GoYaml.dump(document(now, TreeMap::new));
  }

  /** kubeadm's {@code CertificateExpirationInfo} (output.kubeadm.k8s.io/v1alpha3). */
  private Map<String, Object> document(Instant now, Supplier<Map<String, Object>> maps) {
    Map<String, Object> doc = maps.get();
    doc.put("kind", "CertificateExpirationInfo");
    doc.put("apiVersion", "output.kubeadm.k8s.io/v1alpha3");
    doc.put("certificates", rows(certificates, now, maps));
    doc.put("certificateAuthorities", rows(authorities, now, maps));
    return doc;
  }

  private static List<Object> rows(
      List<Row> rows, Instant now, Supplier<Map<String, Object>> maps) {
    List<Object> out = new ArrayList<>();
    for (Row row : rows) {
      Map<String, Object> m = maps.get();
      m.put("name", row.name());
      m.put(
          "expirationDate", row.expires().map(DateTimeFormatter.ISO_INSTANT::format).orElse(null));
      m.put("residualTime", row.expires().isEmpty() ? 0L : row.residual(now).toSeconds());
      m.put("externallyManaged", row.externallyManaged());
      if (row.caName() != null) {
        m.put("caName", row.caName());
      }
      m.put("missing", row.expires().isEmpty());
      out.add(m);
    }
    return out;
  }

  private static String yesNo(Row row) {
    return row.externallyManaged() ? "yes" : "no";
  }
}
