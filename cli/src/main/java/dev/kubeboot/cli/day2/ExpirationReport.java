package dev.kubeboot.cli.day2;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What `certs check-expiration` prints: kubeadm's two tables (Go tabwriter layout: min width 10,
 * padding 3) or kubeadm's {@code CertificateExpirationInfo} JSON.
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
                  shortHumanDuration(row.residual(now)),
                  row.caName(),
                  "%-8s".formatted(yesNo(row))));
    }
    tabulate(certRows, out);
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
                  shortHumanDuration(row.residual(now)),
                  "%-8s".formatted(yesNo(row))));
    }
    tabulate(caRows, out);
    return out.toString();
  }

  String json(Instant now) {
    var out = new StringBuilder();
    out.append("{\n");
    out.append("    \"kind\": \"CertificateExpirationInfo\",\n");
    out.append("    \"apiVersion\": \"output.kubeadm.k8s.io/v1alpha3\",\n");
    out.append("    \"certificates\": ");
    jsonRows(certificates, now, out);
    out.append(",\n    \"certificateAuthorities\": ");
    jsonRows(authorities, now, out);
    out.append("\n}\n");
    return out.toString();
  }

  private static void jsonRows(List<Row> rows, Instant now, StringBuilder out) {
    if (rows.isEmpty()) {
      out.append("[]");
      return;
    }
    out.append("[\n");
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      out.append("        {\n");
      out.append("            \"name\": ").append(quote(row.name())).append(",\n");
      out.append("            \"expirationDate\": ")
          .append(
              row.expires().map(e -> quote(DateTimeFormatter.ISO_INSTANT.format(e))).orElse("null"))
          .append(",\n");
      out.append("            \"residualTime\": ")
          .append(row.expires().isEmpty() ? 0 : row.residual(now).toSeconds())
          .append(",\n");
      out.append("            \"externallyManaged\": ")
          .append(row.externallyManaged())
          .append(",\n");
      if (row.caName() != null) {
        out.append("            \"caName\": ").append(quote(row.caName())).append(",\n");
      }
      out.append("            \"missing\": ").append(row.expires().isEmpty()).append('\n');
      out.append(i == rows.size() - 1 ? "        }\n" : "        },\n");
    }
    out.append("    ]");
  }

  private static String quote(String text) {
    var out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static String yesNo(Row row) {
    return row.externallyManaged() ? "yes" : "no";
  }

  /**
   * Go's text/tabwriter as kubeadm configures it: every cell but the last of a line is padded to
   * its column's widest cell + 3, at least 10; the last cell is written as it is.
   */
  static void tabulate(List<List<String>> rows, StringBuilder out) {
    int columns = rows.getFirst().size() - 1;
    int[] widths = new int[columns];
    for (int c = 0; c < columns; c++) {
      int width = 10;
      for (List<String> row : rows) {
        width = Math.max(width, row.get(c).length() + 3);
      }
      widths[c] = width;
    }
    for (List<String> row : rows) {
      for (int c = 0; c < columns; c++) {
        out.append(row.get(c)).append(" ".repeat(widths[c] - row.get(c).length()));
      }
      out.append(row.get(columns)).append('\n');
    }
  }

  /** Kubernetes' duration.ShortHumanDuration, which kubeadm prints as RESIDUAL TIME. */
  static String shortHumanDuration(Duration d) {
    long seconds = d.toSeconds();
    if (seconds < -1) {
      return "<invalid>";
    } else if (seconds < 0) {
      return "0s";
    } else if (seconds < 60) {
      return seconds + "s";
    }
    long minutes = d.toMinutes();
    if (minutes < 60) {
      return minutes + "m";
    }
    long hours = d.toHours();
    if (hours < 24) {
      return hours + "h";
    } else if (hours < 24 * 365) {
      return hours / 24 + "d";
    }
    return hours / 24 / 365 + "y";
  }
}
