package dev.kubeboot.runner.pod;

/** A container's mount of one of the pod's volumes. */
public record VolumeMount(String name, String mountPath, boolean readOnly) {}
