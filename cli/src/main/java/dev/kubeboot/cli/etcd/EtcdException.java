package dev.kubeboot.cli.etcd;

import java.util.Optional;

/**
 * etcd refused a request, or none of the asked members answered. {@link #code} is the gRPC status
 * code etcd answered with (5 not found, 9 failed precondition, ...), empty when nothing answered.
 */
public final class EtcdException extends Exception {
  private static final long serialVersionUID = 1L;

  /** gRPC NotFound: e.g. removing a member that is gone already. */
  public static final int NOT_FOUND = 5;

  /** gRPC FailedPrecondition: e.g. promoting a learner that has not caught up. */
  public static final int FAILED_PRECONDITION = 9;

  /**
   * gRPC Unavailable: e.g. "unhealthy cluster", a membership change refused while a member that
   * (re)started has been connected for less than etcd's health interval; it passes by itself.
   */
  public static final int UNAVAILABLE = 14;

  private final Integer code;

  public EtcdException(String message, Integer code, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public Optional<Integer> code() {
    return Optional.ofNullable(code);
  }

  /**
   * The connection was refused: no process listens at the member's client URL, so no etcd runs
   * there now (as opposed to one too busy to answer in time).
   */
  public boolean nothingListens() {
    for (Throwable t = getCause(); t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException) {
        return true;
      }
    }
    return false;
  }

  /** No member answered at all (as opposed to a member refusing the request). */
  public boolean unreachable() {
    return code == null;
  }

  /** Worth asking again: nothing answered, or etcd said it cannot serve the request now. */
  public boolean transientFailure() {
    return code == null || code == UNAVAILABLE;
  }
}
