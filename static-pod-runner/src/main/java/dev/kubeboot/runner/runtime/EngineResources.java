package dev.kubeboot.runner.runtime;

import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.StaticPod;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * A container's CPU and memory settings in the units the container engines take, converted once
 * from its {@code resources}, so that the CRI and Docker runtimes share the parsing and its errors.
 *
 * @param cpuQuotaMicros the CPU limit as a CFS quota per {@link Quantities#CPU_PERIOD_US}
 * @param nanoCpus the CPU limit as Docker's NanoCPUs
 * @param memoryLimitBytes the memory limit in bytes
 * @param cpuShares the CPU request as cgroup v1 shares; the limit stands in for a missing request,
 *     as the API server defaults it
 */
public record EngineResources(
    Optional<Long> cpuQuotaMicros,
    Optional<Long> nanoCpus,
    Optional<Long> memoryLimitBytes,
    Optional<Long> cpuShares) {

  /**
   * The settings of {@code container}; a quantity that does not parse or does not fit fails as the
   * kubelet's "CreateContainerConfigError", naming the container, the pod and the field.
   */
  public static EngineResources of(StaticPod pod, Container container)
      throws ContainerStartException {
    Map<String, String> limits = container.resources().limits();
    Map<String, String> requests = container.resources().requests();
    String cpuLimit = limits.get("cpu");
    String cpuRequest = requests.getOrDefault("cpu", cpuLimit);
    return new EngineResources(
        converted(pod, container, "limits.cpu", cpuLimit, Quantities::cpuQuota),
        converted(pod, container, "limits.cpu", cpuLimit, Quantities::nanoCpus),
        converted(pod, container, "limits.memory", limits.get("memory"), Quantities::bytes),
        converted(pod, container, "requests.cpu", cpuRequest, Quantities::cpuShares));
  }

  private static Optional<Long> converted(
      StaticPod pod,
      Container container,
      String field,
      String quantity,
      ToLongFunction<String> conversion)
      throws ContainerStartException {
    if (quantity == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(conversion.applyAsLong(quantity));
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new ContainerStartException(
          "CreateContainerConfigError",
          "container \""
              + container.name()
              + "\" of pod "
              + pod.key()
              + ": resources."
              + field
              + " \""
              + quantity
              + "\": "
              + e.getMessage(),
          e);
    }
  }
}
