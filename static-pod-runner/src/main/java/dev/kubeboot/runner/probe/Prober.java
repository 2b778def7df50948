package dev.kubeboot.runner.probe;

import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.ProbeAction;
import dev.kubeboot.runner.runtime.ContainerHandle;
import java.time.Duration;

/** Runs one probe action once. Scheduling, thresholds and gating live elsewhere. */
public interface Prober {
  /**
   * @param container the running container (exec probes run in it)
   * @param spec its spec (named ports resolve against it)
   * @param timeout the probe's timeoutSeconds
   */
  ProbeResult probe(ProbeAction action, ContainerHandle container, Container spec, Duration timeout)
      throws InterruptedException;
}
