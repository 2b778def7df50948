package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.token.BootstrapTokenSecrets;
import dev.kubeboot.cli.token.BootstrapTokenSecrets.StoredToken;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code token list} as kubeadm prints it: the columns TOKEN, TTL, EXPIRES, USAGES, DESCRIPTION,
 * EXTRA GROUPS laid out like Go's tabwriter (minimum width 10, padding 3), or each token as an
 * {@code output.kubeadm.k8s.io/v1alpha3} BootstrapToken in JSON or YAML.
 */
final class TokenListing {
  static final String OUTPUT_API = "output.kubeadm.k8s.io/v1alpha3";
  private static final int MIN_WIDTH = 10;
  private static final int PADDING = 3;

  private TokenListing() {}

  static String format(List<StoredToken> tokens, String output, Instant now) {
    return switch (output) {
      case "json" -> json(tokens);
      case "yaml" -> yaml(tokens);
      default -> text(tokens, now);
    };
  }

  static String text(List<StoredToken> tokens, Instant now) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("TOKEN", "TTL", "EXPIRES", "USAGES", "DESCRIPTION", "EXTRA GROUPS"));
    for (StoredToken t : tokens) {
      rows.add(
          List.of(
              t.token().value(),
              t.expires()
                  .map(e -> shortHumanDuration(Duration.between(now, e)))
                  .orElse("<forever>"),
              t.expires().map(BootstrapTokenSecrets::format).orElse("<never>"),
              orNone(String.join(",", t.usages())),
              orNone(t.description()),
              orNone(String.join(",", t.groups()))));
    }
    int columns = rows.getFirst().size();
    int[] widths = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < columns - 1; i++) {
        widths[i] = Math.max(widths[i], Math.max(MIN_WIDTH, row.get(i).length() + PADDING));
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows) {
      for (int i = 0; i < columns; i++) {
        String cell = row.get(i);
        out.append(i == columns - 1 ? cell : cell + " ".repeat(widths[i] - cell.length()));
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** apimachinery's ShortHumanDuration. */
  static String shortHumanDuration(Duration d) {
    long seconds = d.toSeconds();
    if (seconds < -1) {
      return "<invalid>";
    } else if (seconds < 0) {
      return "0s";
    } else if (seconds < 60) {
      return seconds + "s";
    } else if (d.toMinutes() < 60) {
      return d.toMinutes() + "m";
    } else if (d.toHours() < 24) {
      return d.toHours() + "h";
    } else if (d.toHours() < 24 * 365) {
      return d.toHours() / 24 + "d";
    }
    return d.toHours() / 24 / 365 + "y";
  }

  private static String orNone(String s) {
    return s.isEmpty() ? "<none>" : s;
  }

  /** Go's json.MarshalIndent with four spaces, fields in the struct's order. */
  static String json(List<StoredToken> tokens) {
    StringBuilder out = new StringBuilder();
    for (StoredToken t : tokens) {
      out.append("{\n");
      List<String> fields = new ArrayList<>();
      fields.add(field("kind", quote("BootstrapToken")));
      fields.add(field("apiVersion", quote(OUTPUT_API)));
      fields.add(field("token", quote(t.token().value())));
      if (!t.description().isEmpty()) {
        fields.add(field("description", quote(t.description())));
      }
      t.expires()
          .ifPresent(e -> fields.add(field("expires", quote(BootstrapTokenSecrets.format(e)))));
      if (!t.usages().isEmpty()) {
        fields.add(field("usages", jsonList(t.usages())));
      }
      if (!t.groups().isEmpty()) {
        fields.add(field("groups", jsonList(t.groups())));
      }
      out.append(String.join(",\n", fields)).append("\n}\n");
    }
    return out.toString();
  }

  private static String field(String name, String value) {
    return "    " + quote(name) + ": " + value;
  }

  private static String jsonList(List<String> values) {
    List<String> items = values.stream().map(v -> "        " + quote(v)).toList();
    return "[\n" + String.join(",\n", items) + "\n    ]";
  }

  private static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '<' -> out.append("\\u003c");
        case '>' -> out.append("\\u003e");
        case '&' -> out.append("\\u0026");
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

  /** YAML documents separated by {@code ---}, keys sorted as sigs.k8s.io/yaml writes them. */
  static String yaml(List<StoredToken> tokens) {
    List<String> documents = new ArrayList<>();
    for (StoredToken t : tokens) {
      var doc = new java.util.TreeMap<String, Object>();
      doc.put("apiVersion", OUTPUT_API);
      doc.put("kind", "BootstrapToken");
      doc.put("token", t.token().value());
      if (!t.description().isEmpty()) {
        doc.put("description", t.description());
      }
      t.expires().ifPresent(e -> doc.put("expires", BootstrapTokenSecrets.format(e)));
      if (!t.usages().isEmpty()) {
        doc.put("usages", t.usages());
      }
      if (!t.groups().isEmpty()) {
        doc.put("groups", t.groups());
      }
      documents.add(dev.kubeboot.cli.config.GoYaml.dump(doc));
    }
    return String.join("---\n", documents);
  }
}
