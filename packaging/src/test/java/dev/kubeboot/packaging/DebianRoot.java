package dev.kubeboot.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A fresh minimal Debian root (debootstrap's minbase, no JDK) unpacked from the tarball {@code
 * scripts/packaging-test-env.sh} caches; commands run chrooted into it, each in its own mount and
 * pid namespace with a proc of its own, so nothing is left mounted when a test dies.
 */
final class DebianRoot implements AutoCloseable {
  static final Path TARBALL_DIR = Path.of("/var/lib/kubeboot-test-packaging");

  /** What dpkg itself keeps and logs: not the package's files. */
  private static final List<String> DPKG_OWN = List.of("/var/lib/dpkg/", "/var/log/", "/tmp/");

  private final Path root;

  private DebianRoot(Path root) {
    this.root = root;
  }

  static DebianRoot unpack(Path parent) throws IOException, InterruptedException {
    String codename =
        Dist.run(
                Duration.ofSeconds(10),
                Dist.hostEnv(),
                null,
                "sh",
                "-c",
                ". /etc/os-release && echo \"$VERSION_CODENAME\"")
            .assertOk("os-release")
            .out()
            .strip();
    Path tarball = TARBALL_DIR.resolve(codename + "-minbase.tar");
    if (!Files.isRegularFile(tarball)) {
      throw new AssertionError("no " + tarball + ": run scripts/packaging-test-env.sh first");
    }
    Path root = Files.createTempDirectory(Files.createDirectories(parent), "debian-root");
    Dist.run(
            Duration.ofMinutes(5),
            Dist.hostEnv(),
            null,
            "tar",
            "--numeric-owner",
            "-xpf",
            tarball.toString(),
            "-C",
            root.toString())
        .assertOk("unpacking " + tarball);
    return new DebianRoot(root);
  }

  Path path() {
    return root;
  }

  /** {@code path} inside the root, e.g. {@code /usr/bin/kubeboot}. */
  Path resolve(String path) {
    return root.resolve(path.replaceFirst("^/+", ""));
  }

  /** Runs {@code command} chrooted, with exactly {@code env}. */
  Dist.Result chroot(Duration timeout, Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    var line =
        new ArrayList<>(
            List.of(
                "unshare",
                "--mount",
                "--pid",
                "--fork",
                "--mount-proc=" + root.resolve("proc"),
                "chroot",
                root.toString(),
                "/usr/bin/env",
                "-i"));
    env.forEach((key, value) -> line.add(key + "=" + value));
    line.addAll(List.of(command));
    return Dist.run(timeout, Dist.hostEnv(), null, line);
  }

  /** Every path in the root but dpkg's own database and logs, and /tmp, /proc. */
  TreeSet<String> files() throws IOException {
    var paths = new TreeSet<String>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.map(p -> "/" + root.relativize(p))
          .filter(p -> !p.equals("/") && !p.startsWith("/proc"))
          .filter(p -> DPKG_OWN.stream().noneMatch(own -> (p + "/").startsWith(own)))
          .forEach(paths::add);
    }
    return paths;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    Dist.run(
            Duration.ofMinutes(2),
            Dist.hostEnv(),
            null,
            "rm",
            "-rf",
            "--one-file-system",
            root.toString())
        .assertOk("removing " + root);
  }
}
