package dev.kubeboot.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A {@code fieldSelector} query parameter: comma-separated {@code field=value} ({@code ==}) and
 * {@code field!=value} terms over the fields kube-apiserver indexes for the kind ({@code
 * metadata.name} and {@code metadata.namespace} for every kind, plus e.g. {@code type} for Secrets
 * and {@code spec.nodeName} for Pods). Any other field is refused with 400, as kube-apiserver does.
 */
record FieldSelector(List<Term> terms) {
  /** One term: the field, the value, and whether it must differ. */
  record Term(String field, String value, boolean negated) {}

  static final FieldSelector EVERYTHING = new FieldSelector(List.of());

  private static final Set<String> COMMON = Set.of("metadata.name", "metadata.namespace");

  /** Per kind: the selectable fields beyond name and namespace, and the value when absent. */
  private static final Map<String, Map<String, String>> BY_KIND =
      Map.of(
          "Secret", Map.of("type", "Opaque"),
          "Pod",
              Map.of(
                  "spec.nodeName", "",
                  "spec.restartPolicy", "",
                  "spec.schedulerName", "",
                  "spec.serviceAccountName", "",
                  "spec.hostNetwork", "false",
                  "status.phase", "",
                  "status.podIP", "",
                  "status.nominatedNodeName", ""),
          "Node", Map.of("spec.unschedulable", "false"),
          "Namespace", Map.of("status.phase", ""),
          "Event",
              Map.of(
                  "involvedObject.kind", "",
                  "involvedObject.namespace", "",
                  "involvedObject.name", "",
                  "involvedObject.uid", "",
                  "reason", "",
                  "type", ""),
          "ReplicaSet", Map.of("status.replicas", "0"));

  FieldSelector {
    terms = List.copyOf(terms);
  }

  /**
   * Parses a selector for {@code kind}; blank selects everything.
   *
   * @throws ApiException 400 for a malformed term or a field the kind does not index
   */
  static FieldSelector parse(String text, String kind) {
    if (text == null || text.isBlank()) {
      return EVERYTHING;
    }
    List<Term> terms = new ArrayList<>();
    for (String part : text.split(",")) {
      String term = part.trim();
      Term parsed;
      if (term.contains("!=")) {
        int at = term.indexOf("!=");
        parsed = new Term(term.substring(0, at).trim(), term.substring(at + 2).trim(), true);
      } else if (term.contains("=")) {
        int at = term.indexOf('=');
        int valueAt = term.startsWith("==", at) ? at + 2 : at + 1;
        parsed = new Term(term.substring(0, at).trim(), term.substring(valueAt).trim(), false);
      } else {
        throw ApiException.badRequest(
            "invalid field selector: \"" + term + "\": expected field=value or field!=value");
      }
      if (!COMMON.contains(parsed.field())
          && !BY_KIND.getOrDefault(kind, Map.of()).containsKey(parsed.field())) {
        throw ApiException.badRequest(
            "field label not supported: "
                + parsed.field()
                + " (the stand-in selects "
                + kind
                + " objects on metadata.name, metadata.namespace"
                + String.join(
                    "",
                    BY_KIND.getOrDefault(kind, Map.of()).keySet().stream()
                        .sorted()
                        .map(f -> ", " + f)
                        .toList())
                + ")");
      }
      terms.add(parsed);
    }
    return new FieldSelector(terms);
  }

  boolean matches(JsonNode object, String kind) {
    for (Term term : terms) {
      JsonNode node = object;
      for (String part : term.field().split("\\.")) {
        node = node.path(part);
      }
      String value =
          node.isMissingNode() || node.isNull()
              ? BY_KIND.getOrDefault(kind, Map.of()).getOrDefault(term.field(), "")
              : node.isString() ? node.asString() : node.toString();
      if (value.equals(term.value()) == term.negated()) {
        return false;
      }
    }
    return true;
  }

  /** The name this selector pins with {@code metadata.name=<name>}, if any. */
  String pinnedName() {
    return terms.stream()
        .filter(t -> t.field().equals("metadata.name") && !t.negated())
        .map(Term::value)
        .findFirst()
        .orElse("");
  }
}
