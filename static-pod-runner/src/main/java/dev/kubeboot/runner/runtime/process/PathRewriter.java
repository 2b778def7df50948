package dev.kubeboot.runner.runtime.process;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Turns container paths into host paths for a process that sees the host's filesystem.
 *
 * <p>A value is rewritten when it is a path under a mount's {@code mountPath} (matched on {@code /}
 * boundaries, longest mount first), or when it is {@code --flag=<such a path>} / {@code
 * NAME=<path>}: the form in which control-plane components take paths. Mounts whose mountPath
 * equals their host path (all of kubeadm's) change nothing.
 */
final class PathRewriter {
  private final List<Mount> mounts;

  PathRewriter(List<Mount> mounts) {
    this.mounts =
        mounts.stream()
            .filter(m -> !m.mountPath().equals(m.hostPath().toString()))
            .sorted(Comparator.comparingInt((Mount m) -> m.mountPath().length()).reversed())
            .toList();
  }

  List<Mount> mounts() {
    return mounts;
  }

  /** Rewrites a whole argument or env value, or the part after its first '='. */
  String rewrite(String value) {
    if (mounts.isEmpty()) {
      return value;
    }
    if (value.startsWith("/")) {
      return rewritePath(value).orElse(value);
    }
    int eq = value.indexOf('=');
    if (eq >= 0 && value.startsWith("/", eq + 1)) {
      return rewritePath(value.substring(eq + 1))
          .map(p -> value.substring(0, eq + 1) + p)
          .orElse(value);
    }
    return value;
  }

  List<String> rewriteAll(List<String> values) {
    return values.stream().map(this::rewrite).toList();
  }

  Optional<String> rewritePath(String path) {
    for (Mount m : mounts) {
      String mp = m.mountPath();
      String host = m.hostPath().toString();
      if (path.equals(mp)) {
        return Optional.of(host);
      }
      if (mp.equals("/")) {
        return Optional.of(host.equals("/") ? path : host + path);
      }
      if (path.startsWith(mp) && path.charAt(mp.length()) == '/') {
        return Optional.of(host + path.substring(mp.length()));
      }
    }
    return Optional.empty();
  }
}
