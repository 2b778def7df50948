package dev.kubeboot.templates;

import java.util.Objects;

/**
 * A hostPath volume and its mount (kubeadm's {@code extraVolumes} entry).
 *
 * @param pathType a Kubernetes HostPathType such as {@code DirectoryOrCreate}, or empty for none
 */
public record HostPathMount(
    String name, String hostPath, String mountPath, boolean readOnly, String pathType) {
  public HostPathMount {
    Objects.requireNonNull(name, "extraVolumes name");
    Objects.requireNonNull(hostPath, "extraVolumes hostPath");
    Objects.requireNonNull(mountPath, "extraVolumes mountPath");
    pathType = pathType == null ? "" : pathType;
    if (name.isEmpty()) {
      throw new InvalidInputException("extraVolumes.name", name, "a volume name is required");
    }
  }
}
