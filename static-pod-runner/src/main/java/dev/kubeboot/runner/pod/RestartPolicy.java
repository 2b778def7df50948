package dev.kubeboot.runner.pod;

/** {@code spec.restartPolicy}; the API default is {@link #ALWAYS}. */
public enum RestartPolicy {
  ALWAYS,
  ON_FAILURE,
  NEVER;

  /** Whether a container that exited with {@code exitCode} is to be started again. */
  public boolean restarts(int exitCode) {
    return switch (this) {
      case ALWAYS -> true;
      case ON_FAILURE -> exitCode != 0;
      case NEVER -> false;
    };
  }
}
