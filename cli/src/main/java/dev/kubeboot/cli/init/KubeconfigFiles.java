package dev.kubeboot.cli.init;

import dev.kubeboot.cli.config.KubeadmConfig;
import java.util.List;

/**
 * kubeadm's kubeconfig files of a configuration, for the commands that make kubeconfigs outside
 * init ({@code certs generate-csr}, {@code kubeconfig user}): each file's user and the API server
 * it points at, as init's kubeconfig phase makes them.
 */
public final class KubeconfigFiles {
  /**
   * One kubeconfig file.
   *
   * @param fileName e.g. admin.conf
   * @param commonName its user and client certificate's CN
   * @param organizations the client certificate's O
   * @param server the API server URL it points at
   */
  public record Entry(
      String fileName, String commonName, List<String> organizations, String server) {
    public Entry {
      organizations = List.copyOf(organizations);
    }
  }

  private KubeconfigFiles() {}

  /** admin.conf, super-admin.conf, kubelet.conf, controller-manager.conf, scheduler.conf. */
  public static List<Entry> of(KubeadmConfig config) {
    return KubeconfigPhase.FILES.stream()
        .map(
            spec ->
                new Entry(
                    spec.fileName(),
                    KubeconfigPhase.commonName(config, spec),
                    spec.organizations(),
                    KubeconfigPhase.server(config, spec)))
        .toList();
  }

  /**
   * kubeadm's GetControlPlaneEndpoint as a URL: the control-plane endpoint, else this node's
   * advertise address and bind port; where admin.conf and additional users' kubeconfigs point.
   */
  public static String controlPlaneServer(KubeadmConfig config) {
    return KubeconfigPhase.server(config, KubeconfigPhase.FILES.getFirst());
  }
}
