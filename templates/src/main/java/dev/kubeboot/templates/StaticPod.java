package dev.kubeboot.templates;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One control-plane static pod with a single container named like the pod, computed in full before
 * rendering. Lists are in manifest order: command as given (binary, then sorted flags), env,
 * volumes and mounts sorted by name.
 *
 * @param creationTimestampNull write {@code creationTimestamp: null}, as kubeadm before 1.33 did
 * @param readinessProbe null when the component has none
 *     <p>The maps (labels, annotations, resource requests) iterate sorted by key.
 * @param resourceRequests e.g. {@code cpu -> 250m}
 */
public record StaticPod(
    String name,
    String namespace,
    boolean creationTimestampNull,
    Map<String, String> labels,
    Map<String, String> annotations,
    String image,
    String imagePullPolicy,
    List<String> command,
    List<EnvVar> env,
    List<ContainerPort> ports,
    HttpProbe livenessProbe,
    HttpProbe readinessProbe,
    HttpProbe startupProbe,
    Map<String, String> resourceRequests,
    List<VolumeMount> volumeMounts,
    List<HostPathVolume> volumes,
    boolean hostNetwork,
    int priority,
    String priorityClassName,
    String seccompProfileType) {

  public StaticPod {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    labels = sorted(labels);
    annotations = sorted(annotations);
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(imagePullPolicy, "imagePullPolicy");
    command = List.copyOf(command);
    env = List.copyOf(env);
    ports = List.copyOf(ports);
    resourceRequests = sorted(resourceRequests);
    volumeMounts = List.copyOf(volumeMounts);
    volumes = List.copyOf(volumes);
  }

  private static SortedMap<String, String> sorted(Map<String, String> map) {
    return Collections.unmodifiableSortedMap(new TreeMap<>(map));
  }
}
