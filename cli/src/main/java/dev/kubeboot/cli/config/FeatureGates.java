package dev.kubeboot.cli.config;

import dev.kubeboot.templates.KubeadmRelease;
import java.util.List;
import java.util.Map;

/**
 * kubeadm's own feature gates ({@code ClusterConfiguration.featureGates}, cmd/kubeadm/app/features
 * of kubeadm 1.34). kubeboot acts on {@link #CONTROL_PLANE_KUBELET_LOCAL_MODE}; the others are
 * accepted and said to be unused.
 */
public final class FeatureGates {
  /** kubelet.conf points at this node's API server instead of the control-plane endpoint. */
  public static final String CONTROL_PLANE_KUBELET_LOCAL_MODE = "ControlPlaneKubeletLocalMode";

  /** The gates kubeadm 1.34 knows. */
  static final List<String> KNOWN =
      List.of(
          CONTROL_PLANE_KUBELET_LOCAL_MODE,
          "NodeLocalCRISocket",
          "PublicKeysECDSA",
          "RootlessControlPlane",
          "WaitForAllControlPlaneComponents");

  private FeatureGates() {}

  /**
   * Whether ControlPlaneKubeletLocalMode is on: as set, else the default of the kubeadm release
   * that renders the version (kubeadm's {@code features.Enabled}).
   */
  public static boolean controlPlaneKubeletLocalMode(
      Map<String, Boolean> gates, KubeadmRelease release) {
    return gates.getOrDefault(
        CONTROL_PLANE_KUBELET_LOCAL_MODE, release.controlPlaneKubeletLocalModeDefault());
  }
}
