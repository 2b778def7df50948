package dev.kubeboot.runner.runtime;

/**
 * A container could not be started.
 *
 * <p>{@code reason} is the kubelet's waiting reason shown to users: "ErrImagePull" (image or
 * executable missing), "ErrImageNeverPull", "CreateContainerConfigError" (the spec cannot be run by
 * this runtime), "CreateContainerError", "RunContainerError".
 */
public final class ContainerStartException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String reason;

  public ContainerStartException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public ContainerStartException(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
