package dev.kubeboot.runner.status;

import java.util.Objects;

/** A manifest file that yields no (new) pod, and why. */
public record FileError(String file, String message) {
  public FileError {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
  }
}
