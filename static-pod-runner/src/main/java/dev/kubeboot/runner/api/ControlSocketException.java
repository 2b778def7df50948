package dev.kubeboot.runner.api;

/** The control socket could not be created, or its directory is not safe to create it in. */
public final class ControlSocketException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ControlSocketException(String message, Throwable cause) {
    super(message, cause);
  }
}
