package dev.kubeboot.runner.pod;

import java.util.Objects;

/**
 * A container's environment variable: a literal {@code value}, or a {@code valueFrom.fieldRef}
 * (Secret and ConfigMap references are refused: a static pod cannot reference API objects).
 */
public record EnvVar(String name, EnvValue value) {
  public EnvVar {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }

  /** A literal {@code value}, expanded against the variables declared before it. */
  public EnvVar(String name, String value) {
    this(name, new EnvValue.Literal(value));
  }

  /** A {@code valueFrom.fieldRef} resolved when the pod was read; never expanded. */
  public static EnvVar field(String name, String value) {
    return new EnvVar(name, new EnvValue.Field(value));
  }

  /**
   * {@code status.podIP(s)} of a pod with a network of its own, filled in at container creation.
   */
  public static EnvVar podIPs(String name, IpField field) {
    return new EnvVar(name, new EnvValue.PodIPs(field));
  }
}
