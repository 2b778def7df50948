package dev.kubeboot.runner.pod;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The part of a Pod's spec the runner acts on.
 *
 * @param terminationGracePeriod from {@code terminationGracePeriodSeconds}, default 30 s
 * @param names host name, host aliases and DNS settings (what /etc/hosts and resolv.conf say)
 */
public record PodSpec(
    List<Container> initContainers,
    List<Container> containers,
    RestartPolicy restartPolicy,
    boolean hostNetwork,
    Duration terminationGracePeriod,
    List<Volume> volumes,
    NameResolution names) {
  public PodSpec {
    initContainers = List.copyOf(initContainers);
    containers = List.copyOf(containers);
    Objects.requireNonNull(restartPolicy, "restartPolicy");
    Objects.requireNonNull(terminationGracePeriod, "terminationGracePeriod");
    volumes = List.copyOf(volumes);
    Objects.requireNonNull(names, "names");
  }

  /** A spec that sets no host name, aliases or DNS settings. */
  public PodSpec(
      List<Container> initContainers,
      List<Container> containers,
      RestartPolicy restartPolicy,
      boolean hostNetwork,
      Duration terminationGracePeriod,
      List<Volume> volumes) {
    this(
        initContainers,
        containers,
        restartPolicy,
        hostNetwork,
        terminationGracePeriod,
        volumes,
        NameResolution.DEFAULT);
  }

  public Optional<Volume> volume(String name) {
    return volumes.stream().filter(v -> v.name().equals(name)).findFirst();
  }
}
