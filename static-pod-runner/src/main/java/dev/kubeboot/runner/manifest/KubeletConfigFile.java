package dev.kubeboot.runner.manifest;

import dev.kubeboot.runner.runtime.LogRotation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the runner takes from a kubelet {@code --config} file: a {@code
 * kubelet.config.k8s.io/v1beta1} {@code KubeletConfiguration}. Only {@code staticPodPath}, {@code
 * fileCheckFrequency}, {@code containerLogMaxSize}, {@code containerLogMaxFiles} and {@code
 * cgroupDriver} ({@code cgroupfs} or {@code systemd}, for the CRI runtime) are used; other fields
 * are ignored. A relative {@code staticPodPath} is resolved against the config file's directory, as
 * the kubelet does.
 */
public record KubeletConfigFile(
    Optional<Path> staticPodPath,
    Optional<Duration> fileCheckFrequency,
    Optional<Long> containerLogMaxSize,
    Optional<Integer> containerLogMaxFiles,
    Optional<String> cgroupDriver) {
  static final String API_VERSION = "kubelet.config.k8s.io/v1beta1";
  static final String KIND = "KubeletConfiguration";

  public KubeletConfigFile {
    Objects.requireNonNull(staticPodPath, "staticPodPath");
    Objects.requireNonNull(fileCheckFrequency, "fileCheckFrequency");
    Objects.requireNonNull(containerLogMaxSize, "containerLogMaxSize");
    Objects.requireNonNull(containerLogMaxFiles, "containerLogMaxFiles");
    Objects.requireNonNull(cgroupDriver, "cgroupDriver");
  }

  /** Reads {@code file}; the exception's message names the file, the field and what to do. */
  public static KubeletConfigFile read(Path file) throws ManifestException {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ManifestException(file, "", "kubelet config file does not exist");
    } catch (IOException e) {
      throw new ManifestException(
          file, "", "cannot read the kubelet config file: " + e.getMessage(), e);
    }
    try {
      return parse(new ManifestParser().parse(content, "a " + API_VERSION + " " + KIND), file);
    } catch (FieldException e) {
      throw new ManifestException(file, e.field(), e.reason(), e);
    }
  }

  private static KubeletConfigFile parse(Map<String, Object> tree, Path file) {
    String apiVersion = Fields.string(tree, "", "apiVersion");
    String kind = Fields.string(tree, "", "kind");
    if (!kind.equals(KIND)) {
      throw new FieldException(
          "kind",
          "\"" + kind + "\" is not " + KIND + "; --config takes a " + API_VERSION + " " + KIND);
    }
    if (!apiVersion.equals(API_VERSION)) {
      throw new FieldException("apiVersion", "\"" + apiVersion + "\" is not " + API_VERSION);
    }
    Optional<Path> staticPodPath =
        Fields.optString(tree, "", "staticPodPath")
            .filter(s -> !s.isEmpty())
            .map(s -> resolve(file, s));
    Optional<Duration> frequency =
        Fields.optString(tree, "", "fileCheckFrequency")
            .map(
                s -> {
                  Duration d =
                      GoDuration.parse(s)
                          .orElseThrow(
                              () ->
                                  new FieldException(
                                      "fileCheckFrequency",
                                      "\"" + s + "\" is not a duration (e.g. 20s, 1m0s, 500ms)"));
                  if (d.isNegative() || d.isZero()) {
                    throw new FieldException(
                        "fileCheckFrequency", "\"" + s + "\" must be positive");
                  }
                  return d;
                });
    Optional<Long> maxSize =
        Fields.optString(tree, "", "containerLogMaxSize")
            .map(
                s -> {
                  try {
                    return LogRotation.parseSize(s);
                  } catch (IllegalArgumentException e) {
                    throw new FieldException(
                        "containerLogMaxSize", "\"" + s + "\" is not a size (e.g. 10Mi, 500Ki)");
                  }
                });
    Optional<Integer> maxFiles = Optional.empty();
    Object files = tree.get("containerLogMaxFiles");
    if (files != null) {
      if (!(files instanceof Number n)
          || n.doubleValue() != Math.rint(n.doubleValue())
          || n.doubleValue() < 2
          || n.doubleValue() > Integer.MAX_VALUE) {
        throw new FieldException(
            "containerLogMaxFiles",
            "\"" + files + "\" is not a whole number of at least 2 (default 5)");
      }
      maxFiles = Optional.of(n.intValue());
    }
    Optional<String> cgroupDriver = Fields.optString(tree, "", "cgroupDriver");
    if (cgroupDriver.isPresent()
        && !cgroupDriver.get().equals("cgroupfs")
        && !cgroupDriver.get().equals("systemd")) {
      throw new FieldException(
          "cgroupDriver", "\"" + cgroupDriver.get() + "\" is neither cgroupfs nor systemd");
    }
    return new KubeletConfigFile(staticPodPath, frequency, maxSize, maxFiles, cgroupDriver);
  }

  private static Path resolve(Path configFile, String value) {
    Path p;
    try {
      p = Path.of(value);
    } catch (java.nio.file.InvalidPathException e) {
      throw new FieldException(
          "staticPodPath", "\"" + value + "\" is not a valid path: " + e.getReason());
    }
    Path dir = configFile.toAbsolutePath().getParent();
    return p.isAbsolute() || dir == null ? p : dir.resolve(p).normalize();
  }
}
