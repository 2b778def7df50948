package dev.kubeboot.runner.runtime;

/**
 * How container logs are rotated, as the kubelet's {@code containerLogMaxSize} and {@code
 * containerLogMaxFiles}: once a container's log is larger than {@code maxSizeBytes} it is rotated,
 * and at most {@code maxFiles} files are kept for it, the one being written included.
 *
 * @param maxSizeBytes the size above which a log is rotated
 * @param maxFiles how many files a container's log may span, at least 2
 */
public record LogRotation(long maxSizeBytes, int maxFiles) {
  /** The kubelet's containerLogMaxSize: 10Mi. */
  public static final long DEFAULT_MAX_SIZE = 10L * 1024 * 1024;

  /** The kubelet's containerLogMaxFiles: 5. */
  public static final int DEFAULT_MAX_FILES = 5;

  public static final LogRotation DEFAULT = new LogRotation(DEFAULT_MAX_SIZE, DEFAULT_MAX_FILES);

  public LogRotation {
    if (maxSizeBytes <= 0) {
      throw new IllegalArgumentException(
          "containerLogMaxSize is " + maxSizeBytes + " bytes; it must be positive (e.g. 10Mi)");
    }
    if (maxFiles < 2) {
      throw new IllegalArgumentException(
          "containerLogMaxFiles is " + maxFiles + "; it must be at least 2 (default 5)");
    }
  }

  /**
   * Parses the kubelet's spelling of the size, a quantity such as {@code 10Mi}.
   *
   * @throws IllegalArgumentException not a quantity, or not positive
   */
  public static long parseSize(String quantity) {
    long bytes;
    try {
      bytes = Quantities.bytes(quantity);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "containerLogMaxSize \"" + quantity + "\" is not a size: write it like 10Mi or 500Ki", e);
    }
    if (bytes <= 0) {
      throw new IllegalArgumentException(
          "containerLogMaxSize \"" + quantity + "\" must be positive (e.g. 10Mi)");
    }
    return bytes;
  }
}
