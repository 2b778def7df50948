package dev.kubeboot.runner.manifest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns a mutable manifest tree into the immutable form {@code StaticPod.object} carries. */
final class Trees {
  private Trees() {}

  /**
   * A deep immutable copy; maps iterate in sorted key order, so whatever renders the object (a
   * mirror pod, {@code /pods}) is byte-stable.
   */
  @SuppressWarnings("unchecked")
  static <T> T freeze(T node) {
    if (node instanceof Map<?, ?> map) {
      TreeMap<String, Object> out = new TreeMap<>();
      map.forEach((k, v) -> out.put((String) k, freeze(v)));
      return (T) Collections.unmodifiableSortedMap(out);
    }
    if (node instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(freeze(v)));
      return (T) Collections.unmodifiableList(out);
    }
    return node;
  }
}
