package dev.kubeboot.runner.mirror;

import java.util.List;
import java.util.Objects;

/**
 * A taint the runner registers its Node with, as the kubelet's {@code --register-with-taints}:
 * written {@code key=value:Effect} or {@code key:Effect}.
 *
 * @param value empty for a taint without one
 */
public record NodeTaint(String key, String value, String effect) {
  /** The effects the API server accepts. */
  public static final List<String> EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");

  public NodeTaint {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (key.isBlank()) {
      throw new IllegalArgumentException(
          "a node taint needs a key, e.g. example.com/role:NoSchedule");
    }
    if (!EFFECTS.contains(effect)) {
      throw new IllegalArgumentException(
          "node taint "
              + key
              + ": effect \""
              + effect
              + "\" is not one of "
              + String.join(", ", EFFECTS));
    }
  }

  /**
   * Parses {@code key=value:Effect} or {@code key:Effect}.
   *
   * @throws IllegalArgumentException naming the text and what is wrong
   */
  public static NodeTaint parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "node taint \""
              + text
              + "\" has no effect: write key=value:NoSchedule or key:NoSchedule");
    }
    String keyValue = text.substring(0, colon);
    int eq = keyValue.indexOf('=');
    return eq < 0
        ? new NodeTaint(keyValue, "", text.substring(colon + 1))
        : new NodeTaint(
            keyValue.substring(0, eq), keyValue.substring(eq + 1), text.substring(colon + 1));
  }

  /** The form {@link #parse} reads. */
  @Override
  public String toString() {
    return key + (value.isEmpty() ? "" : "=" + value) + ":" + effect;
  }
}
