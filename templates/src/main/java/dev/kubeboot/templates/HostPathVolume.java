package dev.kubeboot.templates;

/**
 * A pod volume backed by a host path.
 *
 * @param type a HostPathType such as {@code DirectoryOrCreate}, or empty for none
 */
public record HostPathVolume(String name, String path, String type) {}
