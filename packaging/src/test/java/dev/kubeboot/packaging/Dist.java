package dev.kubeboot.packaging;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the packaging tests share: the artifacts the build put into dist/ (named by the pom through
 * failsafe's system properties) and running commands with an environment of the test's choosing.
 */
final class Dist {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final String VERSION = property("kubeboot.version");
  static final Path ARCHIVE = Path.of(property("kubeboot.archive"));
  static final Path DEB = Path.of(property("kubeboot.deb"));

  /** An operator's shell with no JDK in reach: the system's directories only, no JAVA_HOME. */
  static final Map<String, String> BARE_ENV = Map.of("PATH", "/usr/bin:/bin", "LANG", "C.UTF-8");

  private Dist() {}

  static String property(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "system property " + name + " is not set: run this test through the packaging pom");
    }
    return value;
  }

  record Result(int code, String out) {
    Result assertOk(String what) {
      if (code != 0) {
        throw new AssertionError(what + " exited " + code + ":\n" + out);
      }
      return this;
    }
  }

  /** Runs a command with exactly {@code env} (nothing inherited), stdout and stderr together. */
  static Result run(Duration timeout, Map<String, String> env, Path dir, String... command)
      throws IOException, InterruptedException {
    return run(timeout, env, dir, List.of(command));
  }

  static Result run(Duration timeout, Map<String, String> env, Path dir, List<String> command)
      throws IOException, InterruptedException {
    var builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (dir != null) {
      builder.directory(dir.toFile());
    }
    builder.environment().clear();
    builder.environment().putAll(env);
    Path output = Files.createTempFile("kubeboot-packaging", ".out");
    try {
      builder.redirectOutput(output.toFile());
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor();
        throw new AssertionError(
            String.join(" ", command)
                + " did not finish within "
                + timeout
                + ":\n"
                + Files.readString(output, StandardCharsets.UTF_8));
      }
      return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(output);
    }
  }

  /** The host's environment with PATH, for the tools the tests drive (tar, dpkg, lintian). */
  static Map<String, String> hostEnv() {
    return Map.of(
        "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG", "C.UTF-8");
  }

  static boolean root() throws IOException, InterruptedException {
    return run(Duration.ofSeconds(10), hostEnv(), null, "id", "-u").out().strip().equals("0");
  }

  static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static List<String> command(String... parts) {
    return new ArrayList<>(List.of(parts));
  }
}
