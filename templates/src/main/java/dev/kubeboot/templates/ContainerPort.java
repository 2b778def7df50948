package dev.kubeboot.templates;

/** A named container port (kubeadm 1.34+ declares the probe port this way). */
public record ContainerPort(String name, int containerPort, String protocol) {}
