package dev.kubeboot.cli.cluster;

import dev.kubeboot.cli.KubebootException;

/** The API server refused a request, or could not be reached in time: the message names both. */
public final class ApiRequestException extends KubebootException {
  private static final long serialVersionUID = 1L;
  private final int code;

  public ApiRequestException(String message, int code, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The HTTP status the API server answered, or 0 when it gave no answer. */
  public int code() {
    return code;
  }
}
