package dev.kubeboot.cli;

/** The one place that knows process exit codes; other modules throw typed exceptions. */
public final class ExitCodes {
  public static final int OK = 0;

  /** A failed phase, a failed preflight check, a timeout, an unhealthy component. */
  public static final int FAILURE = 1;

  /** A bad flag, an unknown phase, an invalid config file. */
  public static final int USAGE = 2;

  /** Interrupted (SIGINT). */
  public static final int INTERRUPTED = 130;

  private ExitCodes() {}
}
