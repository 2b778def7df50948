package dev.kubeboot.pki;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * The configuration values kubeadm's certificate table depends on.
 *
 * @param nodeName nodeRegistration.name, used as given
 * @param advertiseAddress localAPIEndpoint.advertiseAddress
 * @param serviceSubnet networking.serviceSubnet, possibly a comma-separated dual-stack list
 * @param dnsDomain networking.dnsDomain
 * @param controlPlaneEndpointHost host part of controlPlaneEndpoint (IP or DNS name), or null
 * @param apiServerCertSans apiServer.certSANs
 * @param etcdServerCertSans etcd.local.serverCertSANs
 * @param etcdPeerCertSans etcd.local.peerCertSANs
 * @param externalEtcd etcd.external is set: no etcd certificates
 */
public record KubeadmCertInputs(
    String nodeName,
    InetAddress advertiseAddress,
    String serviceSubnet,
    String dnsDomain,
    String controlPlaneEndpointHost,
    List<String> apiServerCertSans,
    List<String> etcdServerCertSans,
    List<String> etcdPeerCertSans,
    boolean externalEtcd) {

  public KubeadmCertInputs {
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(advertiseAddress, "advertiseAddress");
    Objects.requireNonNull(serviceSubnet, "serviceSubnet");
    Objects.requireNonNull(dnsDomain, "dnsDomain");
    if (controlPlaneEndpointHost != null && controlPlaneEndpointHost.isBlank()) {
      controlPlaneEndpointHost = null;
    }
    apiServerCertSans = apiServerCertSans == null ? List.of() : List.copyOf(apiServerCertSans);
    etcdServerCertSans = etcdServerCertSans == null ? List.of() : List.copyOf(etcdServerCertSans);
    etcdPeerCertSans = etcdPeerCertSans == null ? List.of() : List.copyOf(etcdPeerCertSans);
  }
}
