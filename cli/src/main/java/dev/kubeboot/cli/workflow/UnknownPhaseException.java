package dev.kubeboot.cli.workflow;

/** A phase path that names no phase: a usage error. */
public final class UnknownPhaseException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public UnknownPhaseException(String message) {
    super(message);
  }
}
