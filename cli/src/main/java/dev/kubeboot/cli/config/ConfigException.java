package dev.kubeboot.cli.config;

/**
 * A kubeadm configuration that cannot be used: unreadable file, invalid YAML, unknown field, wrong
 * type, or a value that fails validation. The message names the file and line (when the value came
 * from a file), the field path and the bad value, and says what is expected.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
