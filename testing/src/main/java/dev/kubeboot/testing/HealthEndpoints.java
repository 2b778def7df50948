package dev.kubeboot.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders {@code /livez}, {@code /readyz} and {@code /healthz} answers as kube-apiserver's healthz
 * package does: {@code ok} when every check passes, a {@code [+]name ok} / {@code [-]name failed:
 * reason} list with {@code ?verbose} or on failure (status 500), {@code /livez/<check>} for one
 * check, and {@code ?exclude=<check>} to leave checks out.
 */
final class HealthEndpoints {
  static final Set<String> ROOTS = Set.of("/livez", "/readyz", "/healthz");

  /** The response status and plain-text body of a health request. */
  record Answer(int status, String body) {}

  @FunctionalInterface
  interface Check {
    CheckResult run() throws InterruptedException;
  }

  private final Map<String, Map<String, Check>> checksByRoot;

  HealthEndpoints(Map<String, Map<String, Check>> checksByRoot) {
    this.checksByRoot = Map.copyOf(checksByRoot);
  }

  static boolean isHealthPath(String path) {
    return ROOTS.stream().anyMatch(root -> path.equals(root) || path.startsWith(root + "/"));
  }

  Answer answer(String path, Map<String, List<String>> query) throws InterruptedException {
    String root =
        ROOTS.stream()
            .filter(r -> path.equals(r) || path.startsWith(r + "/"))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("not a health path: " + path));
    Map<String, Check> checks = checksByRoot.getOrDefault(root, Map.of());
    String name = root.equals(path) ? "" : path.substring(root.length() + 1);
    if (!name.isEmpty()) {
      Check check = checks.get(name);
      if (check == null) {
        return new Answer(404, "404 page not found\n");
      }
      CheckResult result = check.run();
      return result.healthy()
          ? new Answer(200, "ok")
          : new Answer(500, "internal server error: " + result.detail() + "\n");
    }
    List<String> excluded = query.getOrDefault("exclude", List.of());
    boolean verbose = query.containsKey("verbose");
    Map<String, CheckResult> results = new LinkedHashMap<>();
    StringBuilder body = new StringBuilder();
    boolean healthy = true;
    for (Map.Entry<String, Check> entry : checks.entrySet()) {
      if (excluded.contains(entry.getKey())) {
        body.append("[+]").append(entry.getKey()).append(" excluded: ok\n");
        continue;
      }
      CheckResult result = entry.getValue().run();
      results.put(entry.getKey(), result);
      healthy &= result.healthy();
      body.append(result.healthy() ? "[+]" : "[-]")
          .append(entry.getKey())
          .append(result.healthy() ? " ok" : " failed: " + result.detail())
          .append('\n');
    }
    String check = root.substring(1);
    if (healthy) {
      return verbose ? new Answer(200, body + check + " check passed\n") : new Answer(200, "ok");
    }
    return new Answer(500, body + check + " check failed\n");
  }
}
