package dev.kubeboot.runner.network;

/**
 * A CNI plugin call failed: the plugin's error (spec section "Error") or why it could not be run.
 */
public final class CniException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The spec's code for a plugin that could not be found or run at all (no such plugin). */
  public static final int NOT_RUN = -1;

  private final int code;

  /**
   * @param code the plugin's error code (1 incompatible version, 2 unsupported field, 3 unknown
   *     container, 4 invalid environment, 6 I/O, 7 decoding, 11 try again later, 100+ plugin's
   *     own), or {@link #NOT_RUN}
   */
  public CniException(int code, String message) {
    super(message);
    this.code = code;
  }

  public CniException(int code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public int code() {
    return code;
  }
}
