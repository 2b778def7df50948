package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.config.GoYaml;
import dev.kubeboot.cli.output.GoJson;
import dev.kubeboot.cli.token.BootstrapTokenSecrets;
import dev.kubeboot.cli.token.BootstrapTokenSecrets.StoredToken;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code token list} as kubeadm prints it: the columns TOKEN, TTL, EXPIRES, USAGES, DESCRIPTION,
 * EXTRA GROUPS laid out like Go's tabwriter (minimum width 10, padding 3), or each token as an
 * {@code output.kubeadm.k8s.io/v1alpha3} BootstrapToken in JSON or YAML.
 */
final class TokenListing {
  static final String OUTPUT_API = "output.kubeadm.k8s.io/v1alpha3";

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
                  .map(e -> KubeadmText.shortHumanDuration(Duration.between(now, e)))
                  .orElse("<forever>"),
              t.expires().map(BootstrapTokenSecrets::format).orElse("<never>"),
              orNone(String.join(",", t.usages())),
              orNone(t.description()),
              orNone(String.join(",", t.groups()))));
    }
    StringBuilder out = new StringBuilder();
    KubeadmText.tabulate(rows, out);
    return out.toString();
  }

  private static String orNone(String s) {
    return s.isEmpty() ? "<none>" : s;
  }

  /** Go's json.MarshalIndent with four spaces, one object a token, fields in the struct's order. */
  static String json(List<StoredToken> tokens) {
    StringBuilder out = new StringBuilder();
    for (StoredToken t : tokens) {
      out.append(GoJson.marshalIndent(document(t, new LinkedHashMap<>()), "    "));
    }
    return out.toString();
  }

  /** YAML documents separated by {@code ---}, keys sorted as sigs.k8s.io/yaml writes them. */
  static String yaml(List<StoredToken> tokens) {
    List<String> documents = new ArrayList<>();
    for (StoredToken t : tokens) {
      documents.add(GoYaml.dump(document(t, new TreeMap<>())));
    }
    return String.join("---\n", documents);
  }

  /** kubeadm's BootstrapToken output object; empty fields left out as its omitempty tags say. */
  private static Map<String, Object> document(StoredToken t, Map<String, Object> doc) {
    doc.put("kind", "BootstrapToken");
    doc.put("apiVersion", OUTPUT_API);
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
    return doc;
  }
}
