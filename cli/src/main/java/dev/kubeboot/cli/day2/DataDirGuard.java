package dev.kubeboot.cli.day2;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Directories reset never empties as an etcd data directory, whatever a manifest or config says:
 * the file system's own directories, a home directory, anything holding kubeboot's directories.
 * Checked on the path as written and on where its links lead.
 */
final class DataDirGuard {
  /** Directories whose contents belong to the system or to every user. */
  private static final Set<Path> SYSTEM =
      Set.of(
              "/",
              "/usr",
              "/etc",
              "/var",
              "/home",
              "/boot",
              "/bin",
              "/sbin",
              "/opt",
              "/root",
              "/proc",
              "/sys",
              "/dev",
              "/run",
              "/tmp",
              "/srv",
              "/mnt",
              "/media",
              "/var/lib",
              "/var/log",
              "/var/cache",
              "/var/spool",
              "/var/tmp",
              "/usr/local",
              "/run/user")
          .stream()
          .map(Path::of)
          .collect(Collectors.toUnmodifiableSet());

  /** Trees that never hold etcd data: packages, the kernel's views, devices. */
  private static final List<Path> SYSTEM_TREES =
      List.of("/usr", "/boot", "/bin", "/sbin", "/proc", "/sys", "/dev").stream()
          .map(Path::of)
          .toList();

  /** /lib, /lib32, /lib64, /libx32, /libexec. */
  private static final Pattern LIB = Pattern.compile("lib(32|64|x32|exec)?");

  private final List<Path> kubebootDirs;

  /**
   * @param kubebootDirs the kubernetes, manifest, certificate and runner state directories
   */
  DataDirGuard(List<Path> kubebootDirs) {
    this.kubebootDirs = kubebootDirs.stream().map(p -> p.toAbsolutePath().normalize()).toList();
  }

  /** Why {@code dir} must not be emptied, if it must not. */
  Optional<String> whyNot(Path dir) throws IOException {
    Path path = dir.toAbsolutePath().normalize();
    Optional<String> reason = whyNotPath(path);
    if (reason.isPresent() || !Files.exists(path)) {
      return reason;
    }
    Path real = path.toRealPath();
    return whyNotPath(real)
        .map(r -> "it leads to " + real + ", and " + r.replaceFirst("^it ", "that "));
  }

  private Optional<String> whyNotPath(Path path) {
    if (SYSTEM.contains(path) || isLibDirectory(path)) {
      return Optional.of("it is a system directory");
    }
    if (path.getNameCount() == 1) {
      return Optional.of("it is a top-level directory");
    }
    for (Path tree : SYSTEM_TREES) {
      if (path.startsWith(tree)) {
        return Optional.of("it is inside the system directory " + tree);
      }
    }
    if (path.getNameCount() > 0 && LIB.matcher(path.getName(0).toString()).matches()) {
      return Optional.of("it is inside the system directory /" + path.getName(0));
    }
    if (path.getNameCount() == 2 && path.startsWith("/home")) {
      return Optional.of("it is a home directory");
    }
    for (Path kubeboot : kubebootDirs) {
      if (kubeboot.startsWith(path)) {
        return Optional.of("it holds " + kubeboot + ", one of kubeboot's own directories");
      }
    }
    return Optional.empty();
  }

  private static boolean isLibDirectory(Path path) {
    return path.getNameCount() == 1 && LIB.matcher(path.getName(0).toString()).matches();
  }
}
