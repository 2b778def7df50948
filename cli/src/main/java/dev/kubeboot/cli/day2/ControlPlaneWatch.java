package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.health.HealthCheck;
import dev.kubeboot.runner.status.PodStatus;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What an upgrade watches while it replaces a manifest: the pod the runner runs from it and the
 * component's health endpoint. The seam between {@link StaticPodUpgrade} and the real runner.
 */
interface ControlPlaneWatch {
  /** The pod the runner runs from {@code manifest} now; empty when it runs none or is silent. */
  Optional<PodStatus> pod(Path manifest) throws InterruptedException;

  /** One poll of {@code component}'s health endpoint. */
  HealthCheck.Result health(ManifestComponent component) throws InterruptedException;
}
