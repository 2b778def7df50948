package dev.kubeboot.runner.pod;

import java.util.List;

/**
 * How a downward-API IP field shows a list of IPs, as the kubelet: {@code status.podIP} and {@code
 * status.hostIP} the primary one, {@code status.podIPs} and {@code status.hostIPs} all of them,
 * comma-separated.
 */
public enum IpField {
  /** {@code status.podIP}, {@code status.hostIP}. */
  PRIMARY,
  /** {@code status.podIPs}, {@code status.hostIPs}. */
  ALL;

  /** The form a field path asks for: its plural ends in "IPs". */
  public static IpField of(String fieldPath) {
    return fieldPath.endsWith("IPs") ? ALL : PRIMARY;
  }

  /**
   * The value of the field for {@code ips} (primary first); "" when there are none, as the kubelet
   * gives for a pod whose network gave it no IP.
   */
  public String format(List<String> ips) {
    if (ips.isEmpty()) {
      return "";
    }
    return this == ALL ? String.join(",", ips) : ips.get(0);
  }
}
