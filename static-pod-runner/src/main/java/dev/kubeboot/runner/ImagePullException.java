package dev.kubeboot.runner;

/** An image could not be pulled; the message carries the engine's or registry's words. */
public final class ImagePullException extends Exception {
  private static final long serialVersionUID = 1L;

  public ImagePullException(String message, Throwable cause) {
    super(message, cause);
  }
}
