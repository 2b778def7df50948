package dev.kubeboot.runner.manifest;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file the runner reads (a static pod manifest, or the kubelet config file) that is not valid.
 * The message reads {@code <file>: <field>: <reason>} (the field part is left out when the problem
 * is the file as a whole), on one line.
 */
public final class ManifestException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String field;
  private final String reason;

  public ManifestException(Path file, String field, String reason) {
    super(format(file, field, reason));
    this.file = Objects.requireNonNull(file, "file");
    this.field = Objects.requireNonNull(field, "field");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  ManifestException(Path file, String field, String reason, Throwable cause) {
    this(file, field, reason);
    initCause(cause);
  }

  private static String format(Path file, String field, String reason) {
    return field.isEmpty() ? file + ": " + reason : file + ": " + field + ": " + reason;
  }

  public Path file() {
    return file;
  }

  /**
   * The field path, e.g. {@code spec.containers[0].ports[1].containerPort}; empty for the whole
   * file.
   */
  public String field() {
    return field;
  }

  public String reason() {
    return reason;
  }

  public ManifestError toError() {
    return new ManifestError(file, getMessage());
  }
}
