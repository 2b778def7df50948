package dev.kubeboot.templates;

import java.util.Objects;

/** A container environment variable with a literal value (kubeadm's {@code extraEnvs} entry). */
public record EnvVar(String name, String value) {
  public EnvVar {
    Objects.requireNonNull(name, "extraEnvs name");
    Objects.requireNonNull(value, "extraEnvs value");
    if (name.isEmpty()) {
      throw new InvalidInputException(
          "extraEnvs.name", name, "an environment variable name is required");
    }
  }

  public static EnvVar of(String name, String value) {
    return new EnvVar(name, value);
  }
}
