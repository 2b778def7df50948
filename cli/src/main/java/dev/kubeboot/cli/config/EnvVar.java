package dev.kubeboot.cli.config;

import java.util.Objects;

/**
 * An environment variable for a static pod container. Only literal values: a static pod cannot
 * reference API objects, so kubeadm's {@code valueFrom} is rejected by the reader.
 */
public record EnvVar(String name, String value) {
  public EnvVar {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }
}
