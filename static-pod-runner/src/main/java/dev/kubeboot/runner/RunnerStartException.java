package dev.kubeboot.runner;

import java.io.IOException;

/** A detached runner exited at start or did not answer in time; the message names its log. */
public final class RunnerStartException extends IOException {
  private static final long serialVersionUID = 1L;

  public RunnerStartException(String message) {
    super(message);
  }
}
