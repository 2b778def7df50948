package dev.kubeboot.runner.runtime.process;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a container path lives on the host: a mount seen from a process that shares the host's
 * filesystem.
 */
record Mount(String mountPath, Path hostPath) {
  Mount {
    Objects.requireNonNull(hostPath, "hostPath");
    mountPath = normalize(mountPath);
  }

  private static String normalize(String path) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("mountPath \"" + path + "\" is not absolute");
    }
    String p = path;
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
