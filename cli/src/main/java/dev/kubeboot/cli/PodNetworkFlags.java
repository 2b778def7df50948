package dev.kubeboot.cli;

import dev.kubeboot.cli.init.PauseImage;
import dev.kubeboot.runner.network.PodNetworkOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The runner's pod-network flags, as the kubelet names them. */
final class PodNetworkFlags {
  @Option(
      names = "--pod-cidr",
      paramLabel = "CIDR",
      description =
          "This node's pod CIDR (IPv4, IPv6, or one of each comma-separated): pods without hostNetwork get their IPs from it on kubeboot's bridge network, which wins over configs in --cni-conf-dir. Default: none, the first config in --cni-conf-dir is the pod network.")
  String podCidr;

  @Option(
      names = "--cni-conf-dir",
      paramLabel = "DIR",
      description =
          "Where CNI network configs are looked for when no --pod-cidr is given (default "
              + PodNetworkOptions.DEFAULT_CONF_DIR
              + ").")
  Path cniConfDir;

  @Option(
      names = "--cni-bin-dir",
      paramLabel = "DIR",
      split = ",",
      description =
          "Where CNI plugin binaries are looked for, in order (comma-separated or repeated; default /opt/cni/bin,/usr/lib/cni).")
  List<Path> cniBinDirs = new ArrayList<>();

  @Option(
      names = "--pod-infra-container-image",
      paramLabel = "IMAGE",
      description =
          "The pause image of the docker runtime's pod sandboxes (default: kubeadm's for --kubernetes-version, e.g. registry.k8s.io/pause:3.10.1 for 1.34).")
  String podInfraImage;

  /**
   * The flags as the runner takes them.
   *
   * @throws UsageException a --pod-cidr that does not parse
   */
  PodNetworkOptions options() throws UsageException {
    try {
      return PodNetworkOptions.of(podCidr, cniConfDir, cniBinDirs);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  /** --pod-infra-container-image, else kubeadm's pause image for {@code kubernetesVersion}. */
  String podInfraImage(String kubernetesVersion) {
    return podInfraImage != null
        ? podInfraImage
        : PauseImage.of(PauseImage.DEFAULT_REPOSITORY, kubernetesVersion);
  }
}
