package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.health.HealthCheck;
import dev.kubeboot.runner.RunnerClient;
import dev.kubeboot.runner.status.PodStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The real watch: the pods of the runner that was identified before the upgrade began (by its pid,
 * so a runner restarted meanwhile is not mistaken for it) and the components' health checks.
 */
final class RunnerControlPlaneWatch implements ControlPlaneWatch {
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  private final RunnerClient runner;
  private final long pid;
  private final Map<String, HealthCheck> checks;

  /**
   * @param checks by component name (etcd, kube-apiserver, ...)
   */
  RunnerControlPlaneWatch(RunnerClient runner, long pid, Map<String, HealthCheck> checks) {
    this.runner = runner;
    this.pid = pid;
    this.checks = Map.copyOf(checks);
  }

  @Override
  public Optional<PodStatus> pod(Path manifest) throws InterruptedException {
    Path wanted = manifest.toAbsolutePath().normalize();
    return runner
        .status()
        .filter(s -> s.pid() == pid)
        .flatMap(
            s ->
                s.pods().stream()
                    .filter(p -> Path.of(p.source()).toAbsolutePath().normalize().equals(wanted))
                    .findFirst());
  }

  @Override
  public HealthCheck.Result health(ManifestComponent component) throws InterruptedException {
    HealthCheck check = checks.get(component.podName());
    if (check == null) {
      return new HealthCheck.Result(true, "no health endpoint", Duration.ZERO);
    }
    return check.probe(PROBE_TIMEOUT);
  }
}
