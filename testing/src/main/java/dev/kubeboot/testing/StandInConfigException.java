package dev.kubeboot.testing;

/** A flag or a file named by a flag that a stand-in cannot work with; the message says which. */
final class StandInConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StandInConfigException(String message) {
    super(message);
  }

  StandInConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
