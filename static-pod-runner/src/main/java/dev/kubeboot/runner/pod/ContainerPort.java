package dev.kubeboot.runner.pod;

/**
 * A declared container port.
 *
 * @param name empty string when unnamed
 * @param hostPort equals containerPort on hostNetwork pods (API defaulting)
 */
public record ContainerPort(String name, int containerPort, String protocol, int hostPort) {}
