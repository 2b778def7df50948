package dev.kubeboot.runner.fs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A path kubeboot would read or write runs through a directory (or link) that another user owns or
 * can write, so that user could swap what kubeboot finds there.
 */
public final class UntrustedPathException extends IOException {
  private final Path path;
  private final Path offender;

  UntrustedPathException(Path path, Path offender, String message) {
    super(message);
    this.path = Objects.requireNonNull(path, "path");
    this.offender = Objects.requireNonNull(offender, "offender");
  }

  /** The path that was checked. */
  public Path path() {
    return path;
  }

  /** The directory or link on the way to {@link #path()} that another user controls. */
  public Path offender() {
    return offender;
  }
}
