package dev.kubeboot.runner.runtime;

import java.io.IOException;

/** The runtime keeps no log of the container asked for (never started, or no earlier instance). */
public final class LogNotFoundException extends IOException {
  private static final long serialVersionUID = 1L;

  public LogNotFoundException(String message) {
    super(message);
  }
}
