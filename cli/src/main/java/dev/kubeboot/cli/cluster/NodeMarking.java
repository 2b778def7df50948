package dev.kubeboot.cli.cluster;

import dev.kubeboot.cli.config.Taint;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * kubeadm's mark-control-plane (phases/markcontrolplane): the control-plane labels, set to {@code
 * ""}, and {@code nodeRegistration.taints} added to the Node's taints. Nothing is removed. An unset
 * taint list means the control-plane NoSchedule taint; an empty list means none.
 */
public final class NodeMarking {
  public static final String CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane";
  public static final String EXCLUDE_FROM_LB_LABEL =
      "node.kubernetes.io/exclude-from-external-load-balancers";

  /** The labels, in the order kubeadm prints them. */
  public static final List<String> LABELS = List.of(CONTROL_PLANE_LABEL, EXCLUDE_FROM_LB_LABEL);

  private NodeMarking() {}

  /** kubeadm's SetNodeRegistrationDynamicDefaults for a control-plane node. */
  public static List<Taint> taints(Optional<List<Taint>> configured) {
    return configured.orElse(
        List.of(new Taint(CONTROL_PLANE_LABEL, Optional.empty(), "NoSchedule", Optional.empty())));
  }

  /** The taints as kubeadm prints them: {@code [key:effect ...]} ({@code key=value:effect}). */
  public static String describe(List<Taint> taints) {
    List<String> parts = new ArrayList<>();
    for (Taint t : taints) {
      parts.add(t.key() + t.value().map(v -> "=" + v).orElse("") + ":" + t.effect());
    }
    return "[" + String.join(" ", parts) + "]";
  }

  /**
   * A JSON patch (RFC 6902) giving {@code node} the labels and the taints: the configured ones
   * first, then every existing taint not equal to one of them. Empty when the node has them
   * already. A JSON patch, not a merge patch, so that the taint list is replaced as a whole on
   * every API server.
   */
  public static Optional<String> patch(Node node, List<Taint> taints) {
    Map<String, String> labels =
        node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    List<Map<String, Object>> ops = new ArrayList<>();
    if (node.getMetadata().getLabels() == null) {
      Map<String, String> all = new LinkedHashMap<>();
      LABELS.forEach(l -> all.put(l, ""));
      ops.add(op("add", "/metadata/labels", all));
    } else {
      for (String label : LABELS) {
        if (!"".equals(labels.get(label))) {
          ops.add(op("add", "/metadata/labels/" + pointerToken(label), ""));
        }
      }
    }
    List<io.fabric8.kubernetes.api.model.Taint> existing =
        node.getSpec() == null || node.getSpec().getTaints() == null
            ? List.of()
            : node.getSpec().getTaints();
    List<io.fabric8.kubernetes.api.model.Taint> wanted = new ArrayList<>();
    for (Taint t : taints) {
      wanted.add(
          new TaintBuilder()
              .withKey(t.key())
              .withValue(t.value().orElse(null))
              .withEffect(t.effect())
              .withTimeAdded(t.timeAdded().orElse(null))
              .build());
    }
    List<io.fabric8.kubernetes.api.model.Taint> merged = new ArrayList<>(wanted);
    for (var t : existing) {
      if (wanted.stream().noneMatch(w -> sameTaint(w, t))) {
        merged.add(t);
      }
    }
    if (!sameTaints(merged, existing)) {
      if (node.getSpec() == null) {
        ops.add(op("add", "/spec", Map.of("taints", merged)));
      } else {
        ops.add(op(node.getSpec().getTaints() == null ? "add" : "replace", "/spec/taints", merged));
      }
    }
    return ops.isEmpty() ? Optional.empty() : Optional.of(Serialization.asJson(ops));
  }

  private static Map<String, Object> op(String op, String path, Object value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("op", op);
    m.put("path", path);
    m.put("value", value);
    return m;
  }

  /** RFC 6901: {@code ~} and {@code /} escaped in a path segment. */
  private static String pointerToken(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private static boolean sameTaints(
      List<io.fabric8.kubernetes.api.model.Taint> a,
      List<io.fabric8.kubernetes.api.model.Taint> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!sameTaint(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** All fields equal, an empty value the same as none (as the API stores them). */
  private static boolean sameTaint(
      io.fabric8.kubernetes.api.model.Taint a, io.fabric8.kubernetes.api.model.Taint b) {
    return Objects.equals(a.getKey(), b.getKey())
        && Objects.equals(emptyToNull(a.getValue()), emptyToNull(b.getValue()))
        && Objects.equals(a.getEffect(), b.getEffect())
        && Objects.equals(a.getTimeAdded(), b.getTimeAdded());
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
