package dev.kubeboot.runner.status;

import dev.kubeboot.runner.pod.PodKey;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest result of every probe of the running containers. Probe loops record into it; the
 * status endpoint serves it ({@code GET /probes}). A container's results go when its probes stop
 * (it exited, was stopped or is being replaced), so only running containers have results here.
 */
public final class ProbeResults {
  private record Key(PodKey pod, String container, String probe) {}

  private final Map<Key, ProbeRecord> latest = new ConcurrentHashMap<>();

  public void record(ProbeRecord result) {
    latest.put(new Key(result.pod(), result.container(), result.probe()), result);
  }

  /**
   * Drops the results of one container instance; a newer instance's results under the same names
   * stay.
   */
  public void forget(String containerId) {
    latest.values().removeIf(r -> r.containerId().equals(containerId));
  }

  /** Every latest result, by pod, container and probe. */
  public List<ProbeRecord> all() {
    return latest.values().stream()
        .sorted(
            Comparator.comparing((ProbeRecord r) -> r.pod().namespace())
                .thenComparing(r -> r.pod().name())
                .thenComparing(ProbeRecord::container)
                .thenComparing(ProbeRecord::probe))
        .toList();
  }
}
