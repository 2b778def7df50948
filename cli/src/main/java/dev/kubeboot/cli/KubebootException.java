package dev.kubeboot.cli;

/**
 * A failure whose message is complete for the user (what, where, what to do): printed without a
 * trace.
 */
public class KubebootException extends Exception {
  private static final long serialVersionUID = 1L;

  public KubebootException(String message) {
    super(message);
  }

  public KubebootException(String message, Throwable cause) {
    super(message, cause);
  }
}
