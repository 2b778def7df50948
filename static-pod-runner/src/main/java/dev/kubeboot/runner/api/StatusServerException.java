package dev.kubeboot.runner.api;

/** The status endpoint could not be started. */
public final class StatusServerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StatusServerException(String message, Throwable cause) {
    super(message, cause);
  }
}
