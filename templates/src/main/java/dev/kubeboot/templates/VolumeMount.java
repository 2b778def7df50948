package dev.kubeboot.templates;

/** Where a volume appears in the container. */
public record VolumeMount(String name, String mountPath, boolean readOnly) {}
