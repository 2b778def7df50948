package dev.kubeboot.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A resource request path as kube-apiserver's RequestInfo reads it: {@code
 * /api/v1[/watch][/namespaces/<ns>]/<resource>[/<name>[/<subresource>]]}, the same under {@code
 * /apis/<group>/<version>}, and {@code /api/v1/namespaces/<name>[/status|/finalize]} for the
 * namespaces themselves. Empty strings stand for absent parts.
 */
record ApiPath(
    String groupVersionPrefix,
    String group,
    String namespace,
    String plural,
    String name,
    String subresource,
    boolean watchPrefix) {

  /** The resource path, or empty for a path outside {@code /api/v1} and {@code /apis/g/v}. */
  static Optional<ApiPath> parse(String path) {
    List<String> segments =
        new ArrayList<>(Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList());
    String prefix;
    String group;
    if (segments.size() >= 3 && segments.get(0).equals("api") && segments.get(1).equals("v1")) {
      prefix = "/api/v1";
      group = "";
      segments = segments.subList(2, segments.size());
    } else if (segments.size() >= 4 && segments.get(0).equals("apis")) {
      prefix = "/apis/" + segments.get(1) + "/" + segments.get(2);
      group = segments.get(1);
      segments = segments.subList(3, segments.size());
    } else {
      return Optional.empty();
    }
    boolean watch = segments.getFirst().equals("watch");
    if (watch) {
      segments = segments.subList(1, segments.size());
      if (segments.isEmpty()) {
        return Optional.empty();
      }
    }
    String namespace = "";
    String plural;
    String name = "";
    String subresource = "";
    if (segments.getFirst().equals("namespaces")
        && (segments.size() < 3 || isNamespaceSubresource(segments))) {
      plural = "namespaces";
      if (segments.size() >= 2) {
        name = segments.get(1);
      }
      if (segments.size() == 3) {
        subresource = segments.get(2);
      }
    } else {
      if (segments.getFirst().equals("namespaces")) {
        namespace = segments.get(1);
        segments = segments.subList(2, segments.size());
      }
      if (segments.size() > 3) {
        return Optional.empty();
      }
      plural = segments.getFirst();
      if (segments.size() >= 2) {
        name = segments.get(1);
      }
      if (segments.size() == 3) {
        subresource = segments.get(2);
      }
    }
    return Optional.of(new ApiPath(prefix, group, namespace, plural, name, subresource, watch));
  }

  private static boolean isNamespaceSubresource(List<String> segments) {
    return segments.size() == 3
        && (segments.get(2).equals("status") || segments.get(2).equals("finalize"));
  }

  /** The served resource this path names, if the stand-in serves it. */
  Optional<ApiResource> resource() {
    return ApiResource.byPlural(groupVersionPrefix, plural);
  }
}
