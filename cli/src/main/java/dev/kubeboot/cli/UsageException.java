package dev.kubeboot.cli;

/** Bad usage found after parsing (invalid config file, conflicting flags): exit code 2. */
public final class UsageException extends KubebootException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }

  public UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
