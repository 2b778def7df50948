package dev.kubeboot.runner.pod;

import java.util.Objects;

/**
 * What a container's environment variable holds, as far as it is known when the pod is read. A
 * runtime turns it into the value the container gets when it makes the container, once the pod's
 * sandbox and its IPs exist ({@code VariableExpansion.resolveEnv}).
 */
public sealed interface EnvValue {
  /** {@code value}: its {@code $(VAR)} references are expanded, as the kubelet does. */
  record Literal(String text) implements EnvValue {
    public Literal {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * A {@code valueFrom.fieldRef} known when the pod is read (metadata, the node's IPs): taken as it
   * is, never expanded, as the kubelet takes every {@code valueFrom}.
   */
  record Field(String value) implements EnvValue {
    public Field {
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * {@code status.podIP} or {@code status.podIPs} of a pod with a network of its own: the IPs its
   * sandbox got from the pod network. They exist only once the sandbox does, so each runtime fills
   * them in when it makes a container; never expanded.
   */
  record PodIPs(IpField field) implements EnvValue {
    public PodIPs {
      Objects.requireNonNull(field, "field");
    }

    /** The field path as a manifest writes it. */
    public String fieldPath() {
      return field == IpField.ALL ? "status.podIPs" : "status.podIP";
    }
  }
}
