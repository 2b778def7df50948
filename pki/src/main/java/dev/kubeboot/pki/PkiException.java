package dev.kubeboot.pki;

/**
 * A key, certificate or PEM document that cannot be made, read or trusted. The message names the
 * value that was wrong; callers add the file it came from.
 */
public final class PkiException extends RuntimeException {
  public PkiException(String message) {
    super(message);
  }

  public PkiException(String message, Throwable cause) {
    super(message, cause);
  }
}
