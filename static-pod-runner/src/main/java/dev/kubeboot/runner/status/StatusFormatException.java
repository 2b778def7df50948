package dev.kubeboot.runner.status;

/** A runner status document (state file or {@code /pods} body) that cannot be read. */
public final class StatusFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StatusFormatException(String message) {
    super(message);
  }

  public StatusFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
