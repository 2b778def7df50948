package dev.kubeboot.cli.config;

import java.util.List;

/**
 * The {@code kubeboot init} flags that override config values, named after kubeadm init's flags.
 * Each is null when the flag was not given.
 *
 * @param kubernetesVersion {@code --kubernetes-version}
 * @param apiserverAdvertiseAddress {@code --apiserver-advertise-address}
 * @param apiserverBindPort {@code --apiserver-bind-port}
 * @param controlPlaneEndpoint {@code --control-plane-endpoint}
 * @param apiserverCertExtraSans {@code --apiserver-cert-extra-sans} (replaces {@code
 *     apiServer.certSANs})
 * @param podNetworkCidr {@code --pod-network-cidr}
 * @param serviceCidr {@code --service-cidr}
 * @param serviceDnsDomain {@code --service-dns-domain}
 * @param nodeName {@code --node-name}
 * @param imageRepository {@code --image-repository}
 * @param certDir {@code --cert-dir}
 */
public record InitFlags(
    String kubernetesVersion,
    String apiserverAdvertiseAddress,
    Integer apiserverBindPort,
    String controlPlaneEndpoint,
    List<String> apiserverCertExtraSans,
    String podNetworkCidr,
    String serviceCidr,
    String serviceDnsDomain,
    String nodeName,
    String imageRepository,
    String certDir) {
  public InitFlags {
    apiserverCertExtraSans =
        apiserverCertExtraSans == null ? null : List.copyOf(apiserverCertExtraSans);
  }

  /** No flag given. */
  public static InitFlags none() {
    return new InitFlags(null, null, null, null, null, null, null, null, null, null, null);
  }
}
