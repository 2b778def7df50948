package dev.kubeboot.runner.pod;

import java.util.Objects;

/**
 * A literal environment variable ({@code valueFrom} is refused: a static pod cannot reference API
 * objects).
 */
public record EnvVar(String name, String value) {
  public EnvVar {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }
}
