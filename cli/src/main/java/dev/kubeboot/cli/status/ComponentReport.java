package dev.kubeboot.cli.status;

import java.time.Duration;
import java.util.Optional;

/**
 * One control-plane component as `kubeboot status` shows it.
 *
 * @param pod the static pod's name on this node (empty when the runner has no such pod), or the
 *     endpoint of an external etcd
 * @param phase Running, Pending, ..., "Absent" when no manifest defines it, {@link #EXTERNAL} for
 *     an etcd endpoint the API server uses but this node does not run
 * @param lastRestart the reason and exit code of the last termination, e.g. "Error (137)"
 * @param health the health endpoint's answer ("ok", or the error)
 */
public record ComponentReport(
    String component,
    Optional<String> pod,
    String phase,
    boolean ready,
    int restarts,
    Optional<Duration> age,
    Optional<String> lastRestart,
    boolean healthy,
    String health,
    Optional<Duration> latency) {
  /** The phase of an etcd endpoint of a cluster kubeboot does not run here. */
  public static final String EXTERNAL = "External";
}
