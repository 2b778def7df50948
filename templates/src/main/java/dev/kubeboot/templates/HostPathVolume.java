package dev.kubeboot.templates;

/**
 * A pod volume backed by a host path.
 *
 * @param type a HostPathType such as {@code DirectoryOrCreate}; empty for an extraVolume without
 *     {@code pathType}, which kubeadm still writes ({@code type: ""})
 */
public record HostPathVolume(String name, String path, String type) {}
