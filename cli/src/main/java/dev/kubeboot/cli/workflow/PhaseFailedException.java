package dev.kubeboot.cli.workflow;

/** A step failed; the message is "phase certs/apiserver: <cause>". */
public final class PhaseFailedException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String path;

  public PhaseFailedException(String path, Throwable cause) {
    super("phase " + path + ": " + describe(cause), cause);
    this.path = path;
  }

  public PhaseFailedException(String path, String message) {
    super("phase " + path + ": " + message);
    this.path = path;
  }

  public String path() {
    return path;
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
  }
}
