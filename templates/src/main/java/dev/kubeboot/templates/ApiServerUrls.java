package dev.kubeboot.templates;

/** The API server URLs kubeadm writes into kubeconfig files (DESIGN §4). */
public final class ApiServerUrls {

  private ApiServerUrls() {}

  /**
   * The URL for admin.conf, super-admin.conf and kubelet.conf: the controlPlaneEndpoint when set
   * (with bindPort when it names no port), else the local API endpoint.
   *
   * @param controlPlaneEndpoint {@code host}, {@code host:port}, {@code [ipv6]:port} or a bare IPv6
   *     address; null or blank for none
   * @throws InvalidInputException naming {@code controlPlaneEndpoint} when its port is not valid
   */
  public static String apiServerUrl(
      String controlPlaneEndpoint, String advertiseAddress, int bindPort) {
    if (controlPlaneEndpoint == null || controlPlaneEndpoint.isBlank()) {
      return localApiServerUrl(advertiseAddress, bindPort);
    }
    String endpoint = controlPlaneEndpoint.trim();
    String host;
    String port = null;
    if (endpoint.startsWith("[")) {
      int close = endpoint.indexOf(']');
      if (close < 0) {
        throw badEndpoint(controlPlaneEndpoint, "an IPv6 address in brackets needs the closing ]");
      }
      host = endpoint.substring(1, close);
      String rest = endpoint.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw badEndpoint(controlPlaneEndpoint, "expected :port after ]");
        }
        port = rest.substring(1);
      }
    } else if (endpoint.indexOf(':') != endpoint.lastIndexOf(':')) {
      host = endpoint; // a bare IPv6 address has no port
    } else if (endpoint.indexOf(':') >= 0) {
      host = endpoint.substring(0, endpoint.indexOf(':'));
      port = endpoint.substring(endpoint.indexOf(':') + 1);
    } else {
      host = endpoint;
    }
    if (host.isEmpty()) {
      throw badEndpoint(controlPlaneEndpoint, "a host name or IP address is required");
    }
    int p = bindPort;
    if (port != null) {
      try {
        p = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        p = -1;
      }
      if (p < 1 || p > 65535) {
        throw badEndpoint(controlPlaneEndpoint, "the port must be a number in 1..65535");
      }
    }
    return "https://" + IpAddresses.joinHostPort(host, p);
  }

  /** The URL for controller-manager.conf and scheduler.conf: {@code https://adv:bindPort}. */
  public static String localApiServerUrl(String advertiseAddress, int bindPort) {
    return "https://" + IpAddresses.joinHostPort(advertiseAddress, bindPort);
  }

  private static InvalidInputException badEndpoint(String value, String problem) {
    return new InvalidInputException(
        "controlPlaneEndpoint", value, problem + ", e.g. lb.example.com:6443");
  }
}
