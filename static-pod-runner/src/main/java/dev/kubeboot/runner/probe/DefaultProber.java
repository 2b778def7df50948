package dev.kubeboot.runner.probe;

import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.PortRef;
import dev.kubeboot.runner.pod.ProbeAction;
import dev.kubeboot.runner.runtime.ContainerHandle;
import dev.kubeboot.runner.runtime.ContainerRuntime;
import dev.kubeboot.runner.runtime.ExecResult;
import dev.kubeboot.runner.runtime.VariableExpansion;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's probes: httpGet, tcpSocket and exec (through the container runtime).
 *
 * <p>httpGet as the kubelet: HTTP/1.1; HTTPS without certificate or host name verification; status
 * 200-399 succeeds; redirects to the same host name are followed (at most 10 requests), a redirect
 * to another host counts as success with a warning; at most 10 KiB of body is read; {@code
 * User-Agent: kube-probe/<major>.<minor>} and {@code Accept: *}{@code /*} unless the probe sets
 * them; an empty host is the pod's IP (the node's primary IP for a hostNetwork pod); a connection
 * per request, closed after it. Headers the JDK's client refuses to set ({@code Host}, {@code
 * Connection}, ...) are left out with a warning. The timeout bounds the connect and each read
 * ({@link HttpGetProbe}).
 *
 * <p>grpc probes are not supported: grpc.health.v1 needs an HTTP/2 client without TLS upgrade
 * (prior knowledge), which the JDK lacks; they fail with a message saying so.
 */
public final class DefaultProber implements Prober, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultProber.class);
  static final int BODY_LIMIT = 10 * 1024;
  static final int MAX_REQUESTS = 10;
  private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)(?:[.\\-+].*)?");

  private final ContainerRuntime runtime;
  private final String nodeIp;
  private final String userAgent;
  private final HttpGetProbe httpGet;

  /**
   * @param runtime runs exec probes in the container
   * @param nodeIp the node's primary IP: the target of an httpGet or tcpSocket probe without host
   *     in a hostNetwork pod (a pod with its own network is probed at its IP)
   * @param kubernetesVersion e.g. "1.34" or "v1.34.2": gives {@code User-Agent: kube-probe/1.34}
   */
  public DefaultProber(ContainerRuntime runtime, String nodeIp, String kubernetesVersion) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.nodeIp = Objects.requireNonNull(nodeIp, "nodeIp");
    Matcher m = VERSION.matcher(kubernetesVersion);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "kubernetesVersion \""
              + kubernetesVersion
              + "\" is not <major>.<minor>[.patch], e.g. 1.34");
    }
    this.userAgent = "kube-probe/" + m.group(1) + "." + m.group(2);
    this.httpGet = new HttpGetProbe(userAgent);
  }

  String userAgent() {
    return userAgent;
  }

  @Override
  public ProbeResult probe(
      ProbeAction action, ContainerHandle container, Container spec, Duration timeout)
      throws InterruptedException {
    return switch (action) {
      case ProbeAction.HttpGet http -> httpGet(http, container, spec, timeout);
      case ProbeAction.TcpSocket tcp -> tcpSocket(tcp, container, spec, timeout);
      case ProbeAction.Exec exec -> exec(exec, container, spec, timeout);
      case ProbeAction.Grpc grpc ->
          ProbeResult.failure(
              "grpc probes are not supported by kubeboot's prober (port "
                  + grpc.port()
                  + "): use an httpGet, tcpSocket or exec probe");
      case ProbeAction.Sleep sleep ->
          ProbeResult.failure("sleep is a lifecycle action, not a probe");
    };
  }

  private Optional<Integer> port(PortRef ref, Container spec) {
    return spec.resolve(ref).filter(p -> p > 0 && p < 65536);
  }

  private static String describe(PortRef ref) {
    return switch (ref) {
      case PortRef.Number n -> Integer.toString(n.port());
      case PortRef.Named n -> "\"" + n.name() + "\"";
    };
  }

  /** The probe's host, else the pod's IP: its own network's, or the node's for hostNetwork. */
  private String host(Optional<String> host, ContainerHandle container) {
    return host.filter(h -> !h.isBlank())
        .orElseGet(() -> runtime.podIPs(container.podUid()).stream().findFirst().orElse(nodeIp));
  }

  private ProbeResult httpGet(
      ProbeAction.HttpGet http, ContainerHandle container, Container spec, Duration timeout)
      throws InterruptedException {
    Optional<Integer> port = port(http.port(), spec);
    if (port.isEmpty()) {
      return ProbeResult.failure(
          "port "
              + describe(http.port())
              + " of the httpGet probe matches no port of container \""
              + spec.name()
              + "\"");
    }
    String scheme = http.scheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return ProbeResult.failure("httpGet scheme \"" + http.scheme() + "\" is not HTTP or HTTPS");
    }
    String host = host(http.host(), container);
    URI uri;
    try {
      String path = http.path().startsWith("/") ? http.path() : "/" + http.path();
      String authority = (host.contains(":") ? "[" + host + "]" : host) + ":" + port.get();
      uri = new URI(scheme + "://" + authority + path);
    } catch (URISyntaxException e) {
      return ProbeResult.failure(
          "invalid probe URL for path \"" + http.path() + "\": " + e.getMessage());
    }
    List<String> unsendable =
        HttpGetProbe.unsendable(http.headers().stream().map(ProbeAction.HttpHeader::name).toList());
    if (!unsendable.isEmpty()) {
      LOG.warn(
          "httpGet probe of container \"{}\": headers {} cannot be sent by this client; left out",
          spec.name(),
          unsendable);
    }
    return httpGet.get(uri, http.headers(), timeout);
  }

  private ProbeResult tcpSocket(
      ProbeAction.TcpSocket tcp, ContainerHandle container, Container spec, Duration timeout) {
    Optional<Integer> port = port(tcp.port(), spec);
    if (port.isEmpty()) {
      return ProbeResult.failure(
          "port "
              + describe(tcp.port())
              + " of the tcpSocket probe matches no port of container \""
              + spec.name()
              + "\"");
    }
    String host = host(tcp.host(), container);
    String target = (host.contains(":") ? "[" + host + "]" : host) + ":" + port.get();
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(host, port.get()), (int) Math.max(1, timeout.toMillis()));
      return ProbeResult.success("tcp connect to " + target + " succeeded");
    } catch (SocketTimeoutException e) {
      return ProbeResult.failure(
          "dial tcp " + target + ": no answer within the probe timeout " + timeout);
    } catch (IOException e) {
      return ProbeResult.failure("dial tcp " + target + ": " + e.getMessage());
    }
  }

  private ProbeResult exec(
      ProbeAction.Exec exec, ContainerHandle container, Container spec, Duration timeout)
      throws InterruptedException {
    // The same variables the container was given, its pod's IPs included.
    Map<String, String> env =
        VariableExpansion.resolveEnv(spec.env(), runtime.podIPs(container.podUid()));
    var command = exec.command().stream().map(w -> VariableExpansion.expand(w, env)).toList();
    ExecResult result = runtime.exec(container, command, timeout);
    String output = result.output().strip();
    if (result.timedOut()) {
      return ProbeResult.failure("command " + command + " timed out after " + timeout);
    }
    if (result.exitCode() == 0) {
      return ProbeResult.success(output);
    }
    return ProbeResult.failure(
        "command "
            + command
            + " exited with code "
            + result.exitCode()
            + (output.isEmpty() ? "" : ": " + output));
  }

  @Override
  public void close() {
    // Nothing is held between probes: each httpGet opens and closes its own connection.
  }
}
