package dev.kubeboot.templates;

import java.util.Objects;

/**
 * An httpGet probe with its timings in seconds, as the Pod API writes them (0 means the field is
 * left out).
 *
 * @param scheme {@code HTTP} or {@code HTTPS}
 * @param host empty to probe the pod IP (kubeadm's choice for an unspecified bind address)
 */
public record HttpProbe(
    String scheme,
    String host,
    String path,
    ProbePort port,
    int initialDelaySeconds,
    int timeoutSeconds,
    int periodSeconds,
    int failureThreshold) {
  public HttpProbe {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(port, "port");
  }
}
