package dev.kubeboot.runner.pod;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One container of a pod spec, defaulted.
 *
 * @param workingDir empty when the manifest sets none
 * @param preStop the preStop hook, run before the stop signal
 */
public record Container(
    String name,
    String image,
    ImagePullPolicy imagePullPolicy,
    List<String> command,
    List<String> args,
    List<EnvVar> env,
    Optional<String> workingDir,
    List<ContainerPort> ports,
    List<VolumeMount> volumeMounts,
    Optional<Probe> livenessProbe,
    Optional<Probe> readinessProbe,
    Optional<Probe> startupProbe,
    Optional<ProbeAction> preStop,
    SecurityContext securityContext,
    Resources resources) {
  public Container {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(imagePullPolicy, "imagePullPolicy");
    command = List.copyOf(command);
    args = List.copyOf(args);
    env = List.copyOf(env);
    Objects.requireNonNull(workingDir, "workingDir");
    ports = List.copyOf(ports);
    volumeMounts = List.copyOf(volumeMounts);
    Objects.requireNonNull(livenessProbe, "livenessProbe");
    Objects.requireNonNull(readinessProbe, "readinessProbe");
    Objects.requireNonNull(startupProbe, "startupProbe");
    Objects.requireNonNull(preStop, "preStop");
    Objects.requireNonNull(securityContext, "securityContext");
    Objects.requireNonNull(resources, "resources");
  }

  /** Resolves a probe's port, named or numbered, against this container's ports. */
  public Optional<Integer> resolve(PortRef port) {
    return switch (port) {
      case PortRef.Number n -> Optional.of(n.port());
      case PortRef.Named named ->
          ports.stream()
              .filter(p -> named.name().equals(p.name()))
              .map(ContainerPort::containerPort)
              .findFirst();
    };
  }
}
