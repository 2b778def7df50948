package dev.kubeboot.templates;

import java.net.InetAddress;

/** The API server URLs kubeadm writes into kubeconfig files. */
public final class ApiServerUrls {

  private ApiServerUrls() {}

  /**
   * {@code https://host:port}, the host bracketed when it is an IPv6 literal: the control-plane
   * endpoint's URL, its host and port already parsed and defaulted by the caller.
   */
  public static String of(String host, int port) {
    if (host == null || host.isBlank()) {
      throw new InvalidInputException(
          "controlPlaneEndpoint", String.valueOf(host), "a host name or IP address is required");
    }
    return "https://" + IpText.joinHostPort(host, port);
  }

  /** The local API endpoint's URL: {@code https://adv:bindPort}. */
  public static String local(InetAddress advertiseAddress, int bindPort) {
    return "https://" + IpText.joinHostPort(advertiseAddress, bindPort);
  }
}
