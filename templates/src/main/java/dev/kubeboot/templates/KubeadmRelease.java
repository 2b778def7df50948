package dev.kubeboot.templates;

import java.util.List;
import java.util.Objects;

/**
 * What kubeadm wrote for one Kubernetes release: the facts that differ between the releases
 * kubeboot renders (v1.31 to v1.34). For a Kubernetes version v1.X.Y kubeboot writes what kubeadm
 * v1.X.Y wrote, so a manifest does not change when the same cluster is made by kubeadm instead.
 *
 * <p>{@link #TABLE} is the one place these facts live; each row names the kubeadm sources it was
 * checked against. A row holds from its {@code since} release up to the next row's.
 *
 * @param since the first release (a patch) these facts hold for
 * @param etcdImageTag {@code constants.SupportedEtcdVersion[minor]} of that kubeadm release
 * @param pauseImageTag {@code constants.PauseVersion} of that kubeadm release (the pause image
 *     {@code config images list} names)
 * @param coreDnsImageTag {@code constants.CoreDNSVersion} of that kubeadm release
 * @param creationTimestampNull manifests carry {@code metadata.creationTimestamp: null}
 *     (apimachinery omits the zero value from 1.33)
 * @param namedProbePort every probe uses a container port named {@code probe-port} (from 1.34)
 * @param schedulerLivezReadyz kube-scheduler probes /livez and /readyz, not only /healthz (from
 *     1.32)
 * @param controlPlaneKubeletLocalModeDefault the default of the {@code
 *     ControlPlaneKubeletLocalMode} feature gate (alpha and off in 1.31/1.32, beta and on from
 *     1.33)
 * @param source the kubeadm sources the row was checked against
 */
public record KubeadmRelease(
    KubernetesVersion since,
    String etcdImageTag,
    String pauseImageTag,
    String coreDnsImageTag,
    boolean creationTimestampNull,
    boolean namedProbePort,
    boolean schedulerLivezReadyz,
    boolean controlPlaneKubeletLocalModeDefault,
    String source) {

  private static final String V131 =
      "kubeadm v1.31: cmd/kubeadm/app/util/staticpod/utils.go (probes by port number),"
          + " constants.go PauseVersion 3.10 and CoreDNSVersion v1.11.3,"
          + " phases/controlplane/manifests.go (scheduler /healthz), apimachinery"
          + " metav1.ObjectMeta (creationTimestamp: null, omitted only since kubernetes#130989),"
          + " app/features/features.go (ControlPlaneKubeletLocalMode alpha, off;"
          + " kubernetes#125582, #125780)";
  private static final String V132 =
      "kubeadm v1.32: as v1.31 (pause 3.10, CoreDNS v1.11.3) but kube-scheduler probed on /livez"
          + " and /readyz";
  private static final String V133 =
      "kubeadm v1.33: constants.go PauseVersion 3.10, CoreDNSVersion v1.12.0;"
          + " creationTimestamp omitted (kubernetes#130989, apimachinery v0.33);"
          + " ControlPlaneKubeletLocalMode beta and on (kubernetes#129956), so kubelet.conf"
          + " points at the local API endpoint (kubernetes/kubeadm#3243)";
  private static final String V134 =
      "kubeadm v1.34: constants.go PauseVersion 3.10.1, CoreDNSVersion v1.12.1; named container"
          + " port probe-port for every probe (kubernetes#132776,"
          + " constants.ProbePort)";

  /** Oldest first. */
  public static final List<KubeadmRelease> TABLE =
      List.of(
          row(
              "v1.31.0",
              "3.5.15-0",
              "3.10",
              "v1.11.3",
              true,
              false,
              false,
              false,
              V131
                  + "; constants.go SupportedEtcdVersion[31]=3.5.15-0 (kubernetes#126395; the 3.5.16"
                  + " backport kubernetes#127955 was closed unmerged)"),
          row(
              "v1.31.14",
              "3.5.24-0",
              "3.10",
              "v1.11.3",
              true,
              false,
              false,
              false,
              V131
                  + "; SupportedEtcdVersion raised to 3.5.24-0 by kubernetes#135020 (merged"
                  + " 2025-11-03; first release after it is the November 2025 patch v1.31.14)"),
          row(
              "v1.32.0",
              "3.5.16-0",
              "3.10",
              "v1.11.3",
              true,
              false,
              true,
              false,
              V132
                  + "; constants.go SupportedEtcdVersion[32]=3.5.16-0 (kubernetes#127285; 3.5.17"
                  + " landed on master after v1.32.0, the 3.5.21 backport kubernetes#131958 was"
                  + " closed unmerged)"),
          row(
              "v1.32.10",
              "3.5.24-0",
              "3.10",
              "v1.11.3",
              true,
              false,
              true,
              false,
              V132
                  + "; SupportedEtcdVersion raised to 3.5.24-0 by kubernetes#135019 (merged"
                  + " 2025-11-03; first release after it is the November 2025 patch v1.32.10)"),
          row(
              "v1.33.0",
              "3.5.21-0",
              "3.10",
              "v1.12.0",
              false,
              false,
              true,
              true,
              V133 + "; constants.go SupportedEtcdVersion[33]=3.5.21-0 (kubernetes#131144)"),
          row(
              "v1.33.6",
              "3.5.24-0",
              "3.10",
              "v1.12.0",
              false,
              false,
              true,
              true,
              V133 + "; CHANGELOG-1.33 v1.33.6: etcd 3.5.24-0 for v1.33 (kubernetes#135018)"),
          row(
              "v1.34.0",
              "3.6.4-0",
              "3.10.1",
              "v1.12.1",
              false,
              true,
              true,
              true,
              V134 + "; constants.go SupportedEtcdVersion[34]=3.6.4-0 (kubernetes#133225)"),
          row(
              "v1.34.2",
              "3.6.5-0",
              "3.10.1",
              "v1.12.1",
              false,
              true,
              true,
              true,
              V134
                  + "; release-1.34 constants.go SupportedEtcdVersion {31-33: 3.5.24-0, 34: 3.6.5-0}"
                  + " (kubernetes/kubeadm#3247 quotes 34: 3.6.5-0 on release-1.34 in October 2025;"
                  + " CHANGELOG-1.34 v1.34.2 carries kubernetes#134861, v1.34.1 no etcd change)"));

  public KubeadmRelease {
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(etcdImageTag, "etcdImageTag");
    Objects.requireNonNull(pauseImageTag, "pauseImageTag");
    Objects.requireNonNull(coreDnsImageTag, "coreDnsImageTag");
    Objects.requireNonNull(source, "source");
  }

  /**
   * The facts for a version: the last row whose {@code since} is not after it. A pre-release
   * (v1.34.0-rc.1) counts as its release.
   *
   * @throws InvalidInputException naming {@code kubernetesVersion} outside v1.31 to v1.34
   */
  public static KubeadmRelease of(KubernetesVersion version) {
    version.requireSupported();
    KubeadmRelease found = null;
    for (KubeadmRelease row : TABLE) {
      if (row.since.compareTo(version) <= 0) {
        found = row;
      }
    }
    return Objects.requireNonNull(found, "the table starts at the oldest supported release");
  }

  private static KubeadmRelease row(
      String since,
      String etcdTag,
      String pauseTag,
      String coreDnsTag,
      boolean creationTimestampNull,
      boolean namedProbePort,
      boolean schedulerLivezReadyz,
      boolean localMode,
      String source) {
    return new KubeadmRelease(
        KubernetesVersion.parse(since),
        etcdTag,
        pauseTag,
        coreDnsTag,
        creationTimestampNull,
        namedProbePort,
        schedulerLivezReadyz,
        localMode,
        source);
  }
}
