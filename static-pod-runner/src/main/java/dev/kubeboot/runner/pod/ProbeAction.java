package dev.kubeboot.runner.pod;

import java.util.List;
import java.util.Optional;

/** What a probe (or a preStop hook) does. */
public sealed interface ProbeAction {
  /**
   * An HTTP(S) GET.
   *
   * @param host empty: the pod IP, which for a hostNetwork pod is the node's primary IP
   * @param scheme "HTTP" or "HTTPS" (not verified, as the kubelet)
   */
  record HttpGet(
      String scheme, Optional<String> host, PortRef port, String path, List<HttpHeader> headers)
      implements ProbeAction {
    public HttpGet {
      headers = List.copyOf(headers);
    }
  }

  record TcpSocket(Optional<String> host, PortRef port) implements ProbeAction {}

  record Exec(List<String> command) implements ProbeAction {
    public Exec {
      command = List.copyOf(command);
    }
  }

  /** gRPC health check (grpc.health.v1). */
  record Grpc(int port, Optional<String> service) implements ProbeAction {}

  /** A preStop sleep action. */
  record Sleep(java.time.Duration duration) implements ProbeAction {}

  record HttpHeader(String name, String value) {}
}
