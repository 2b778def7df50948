package dev.kubeboot.cli.config;

import dev.kubeboot.templates.KubernetesVersion;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * kubeadm's {@code UpgradeConfiguration} ({@code kubeadm.k8s.io/v1beta4} only): one section per
 * upgrade subcommand, each used only by its own command, and the timeouts. Every optional field is
 * empty when the file leaves it out, so that a flag given on the command line, then the file, then
 * kubeadm's default decide, in that order.
 */
public record UpgradeConfiguration(
    Apply apply, Diff diff, Node node, Plan plan, Timeouts timeouts) {
  public UpgradeConfiguration {
    Objects.requireNonNull(apply, "apply");
    Objects.requireNonNull(diff, "diff");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(timeouts, "timeouts");
  }

  /** {@code apply}: the options of {@code upgrade apply}. */
  public record Apply(
      Optional<KubernetesVersion> kubernetesVersion,
      Optional<Boolean> allowExperimentalUpgrades,
      Optional<Boolean> allowRCUpgrades,
      Optional<Boolean> certificateRenewal,
      Optional<Boolean> dryRun,
      Optional<Boolean> etcdUpgrade,
      Optional<Boolean> forceUpgrade,
      List<String> ignorePreflightErrors,
      Optional<String> imagePullPolicy,
      Optional<Boolean> imagePullSerial,
      Optional<String> patchesDirectory,
      Optional<Boolean> printConfig,
      List<String> skipPhases) {
    public Apply {
      ignorePreflightErrors = List.copyOf(ignorePreflightErrors);
      skipPhases = List.copyOf(skipPhases);
    }
  }

  /** {@code diff}: the options of {@code upgrade diff}. */
  public record Diff(
      Optional<KubernetesVersion> kubernetesVersion, Optional<Integer> contextLines) {}

  /** {@code node}: the options of {@code upgrade node}. */
  public record Node(
      Optional<Boolean> certificateRenewal,
      Optional<Boolean> dryRun,
      Optional<Boolean> etcdUpgrade,
      List<String> ignorePreflightErrors,
      Optional<String> imagePullPolicy,
      Optional<Boolean> imagePullSerial,
      Optional<String> patchesDirectory,
      List<String> skipPhases) {
    public Node {
      ignorePreflightErrors = List.copyOf(ignorePreflightErrors);
      skipPhases = List.copyOf(skipPhases);
    }
  }

  /** {@code plan}: the options of {@code upgrade plan}. */
  public record Plan(
      Optional<KubernetesVersion> kubernetesVersion,
      Optional<Boolean> allowExperimentalUpgrades,
      Optional<Boolean> allowRCUpgrades,
      Optional<Boolean> dryRun,
      List<String> ignorePreflightErrors,
      Optional<Boolean> printConfig,
      Optional<Boolean> etcdUpgrade) {
    public Plan {
      ignorePreflightErrors = List.copyOf(ignorePreflightErrors);
    }
  }

  /** No file, or a file without an UpgradeConfiguration: every field unset. */
  public static UpgradeConfiguration unset() {
    return new UpgradeConfiguration(
        new Apply(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            List.of(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            List.of()),
        new Diff(Optional.empty(), Optional.empty()),
        new Node(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            List.of(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            List.of()),
        new Plan(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            List.of(),
            Optional.empty(),
            Optional.empty()),
        Timeouts.unset());
  }

  /**
   * The configuration an upgrade renders with, not yet defaulted: {@code read} (the cluster's or
   * the file's InitConfiguration and ClusterConfiguration) with every timeout this file sets, and
   * with the command's {@code imagePullPolicy} when it sets one. kubeadm puts the upgrade's pull
   * policy into the node registration it upgrades with; kubeboot's manifests carry it, so the
   * runner pulls the new images by it.
   */
  public KubeadmConfig appliedTo(KubeadmConfig read, Optional<String> imagePullPolicy) {
    InitConfiguration init = read.init().withTimeouts(overlay(read.init().timeouts()));
    if (imagePullPolicy.isPresent()) {
      NodeRegistration r = init.nodeRegistration();
      init =
          init.withNodeRegistration(
              new NodeRegistration(
                  r.name(),
                  r.criSocket(),
                  r.taints(),
                  r.kubeletExtraArgs(),
                  r.ignorePreflightErrors(),
                  imagePullPolicy.get(),
                  r.imagePullSerial()));
    }
    return read.with(init, read.cluster());
  }

  private Timeouts overlay(Timeouts base) {
    return new Timeouts(
        pick(timeouts.controlPlaneComponentHealthCheck(), base.controlPlaneComponentHealthCheck()),
        pick(timeouts.kubeletHealthCheck(), base.kubeletHealthCheck()),
        pick(timeouts.kubernetesAPICall(), base.kubernetesAPICall()),
        pick(timeouts.etcdAPICall(), base.etcdAPICall()),
        pick(timeouts.tlsBootstrap(), base.tlsBootstrap()),
        pick(timeouts.discovery(), base.discovery()),
        pick(timeouts.upgradeManifests(), base.upgradeManifests()));
  }

  private static Duration pick(Duration mine, Duration theirs) {
    return mine != null ? mine : theirs;
  }
}
