package dev.kubeboot.cli.status;

import dev.kubeboot.cli.etcd.EtcdClusterReport;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything `kubeboot status` reports.
 *
 * @param runnerRunning whether this node's runner answers on its status port
 * @param runnerProblem what answers on the status port instead, when it is not this node's runner
 * @param mirror the runner's mirror-pod state: "off", "on" or "waiting: <reason>"
 * @param certificatesChecked how many certificates were found and read (PEM files and the client
 *     certificates of the kubeconfigs)
 * @param certificateWarnings certificates that expire within 30 days (or already have)
 * @param etcd the stacked etcd cluster's members as this node's etcd sees them; empty when this
 *     node runs no etcd
 */
public record StatusReport(
    boolean runnerRunning,
    Optional<String> runnerProblem,
    Optional<Long> runnerPid,
    Optional<Duration> runnerUptime,
    String runtime,
    String manifestPath,
    String mirror,
    List<String> manifestErrors,
    List<ComponentReport> components,
    int certificatesChecked,
    List<String> certificateWarnings,
    Optional<EtcdClusterReport> etcd) {
  public StatusReport {
    java.util.Objects.requireNonNull(runnerProblem, "runnerProblem");
    manifestErrors = List.copyOf(manifestErrors);
    components = List.copyOf(components);
    certificateWarnings = List.copyOf(certificateWarnings);
    java.util.Objects.requireNonNull(etcd, "etcd");
  }

  /**
   * Healthy when the runner runs and every component's pod runs and answers its health endpoint, as
   * kubeadm's wait-control-plane judges it; an external etcd's endpoints must each answer.
   * Readiness is shown but not required: it lags by the probes' schedule (a startup probe first
   * tries after 10 s).
   */
  public boolean healthy() {
    return runnerRunning
        && runnerProblem.isEmpty()
        && !components.isEmpty()
        && components.stream()
            .allMatch(
                c ->
                    c.healthy()
                        && (c.phase().equals("Running")
                            || c.phase().equals(ComponentReport.EXTERNAL)));
  }
}
