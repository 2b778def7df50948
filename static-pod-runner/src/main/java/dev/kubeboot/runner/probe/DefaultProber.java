package dev.kubeboot.runner.probe;

import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.PortRef;
import dev.kubeboot.runner.pod.ProbeAction;
import dev.kubeboot.runner.runtime.ContainerHandle;
import dev.kubeboot.runner.runtime.ContainerRuntime;
import dev.kubeboot.runner.runtime.ExecResult;
import dev.kubeboot.runner.runtime.VariableExpansion;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's probes: httpGet, tcpSocket and exec (through the container runtime).
 *
 * <p>httpGet as the kubelet: HTTP/1.1; HTTPS without certificate or host name verification; status
 * 200-399 succeeds; redirects to the same host name are followed (at most 10 requests), a redirect
 * to another host counts as success with a warning; at most 10 KiB of body is read; {@code
 * User-Agent: kube-probe/<major>.<minor>} and {@code Accept: *}{@code /*} unless the probe sets
 * them; an empty host is the node's primary IP. Headers the JDK's client refuses to set ({@code
 * Host}, {@code Connection}, ...) are left out with a warning. The timeout bounds connect, request
 * and body together.
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
  private final ExecutorService executor;
  private final ConcurrentMap<ClientKey, HttpClient> clients = new ConcurrentHashMap<>();

  /**
   * Clients are shared per scheme and connect timeout (a handful in practice), never made per
   * probe.
   */
  private record ClientKey(boolean https, Duration connectTimeout) {}

  /**
   * @param runtime runs exec probes in the container
   * @param nodeIp the node's primary IP: the target of an httpGet or tcpSocket probe without host
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
    this.executor =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("prober-http-", 0).factory());
  }

  String userAgent() {
    return userAgent;
  }

  @Override
  public ProbeResult probe(
      ProbeAction action, ContainerHandle container, Container spec, Duration timeout)
      throws InterruptedException {
    return switch (action) {
      case ProbeAction.HttpGet http -> httpGet(http, spec, timeout);
      case ProbeAction.TcpSocket tcp -> tcpSocket(tcp, spec, timeout);
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

  private String host(Optional<String> host) {
    return host.filter(h -> !h.isBlank()).orElse(nodeIp);
  }

  private ProbeResult httpGet(ProbeAction.HttpGet http, Container spec, Duration timeout)
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
    String host = host(http.host());
    URI uri;
    try {
      String path = http.path().startsWith("/") ? http.path() : "/" + http.path();
      String authority = (host.contains(":") ? "[" + host + "]" : host) + ":" + port.get();
      uri = new URI(scheme + "://" + authority + path);
    } catch (URISyntaxException e) {
      return ProbeResult.failure(
          "invalid probe URL for path \"" + http.path() + "\": " + e.getMessage());
    }
    HttpClient client =
        clients.computeIfAbsent(new ClientKey(scheme.equals("https"), timeout), this::newClient);
    long deadline = System.nanoTime() + timeout.toNanos();
    URI current = uri;
    for (int request = 1; ; request++) {
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(current).GET().version(HttpClient.Version.HTTP_1_1);
      builder.setHeader("User-Agent", userAgent);
      builder.setHeader("Accept", "*/*");
      for (ProbeAction.HttpHeader h : http.headers()) {
        try {
          builder.setHeader(h.name(), h.value());
        } catch (IllegalArgumentException e) {
          LOG.warn(
              "httpGet probe of container \"{}\": header \"{}\" cannot be sent by this client; left"
                  + " out",
              spec.name(),
              h.name());
        }
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return timedOut(current, timeout);
      }
      builder.timeout(Duration.ofNanos(remaining));
      HttpResponse<String> response;
      CompletableFuture<HttpResponse<String>> future =
          client.sendAsync(builder.build(), info -> new CappedBodySubscriber(BODY_LIMIT));
      try {
        response = future.get(remaining, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        future.cancel(true);
        return timedOut(current, timeout);
      } catch (InterruptedException e) {
        future.cancel(true);
        throw e;
      } catch (ExecutionException e) {
        return failure(current, e.getCause(), timeout);
      }
      int status = response.statusCode();
      if (status >= 300 && status < 400) {
        Optional<String> location = response.headers().firstValue("Location");
        if (location.isPresent()) {
          URI target;
          try {
            target = current.resolve(location.get());
          } catch (IllegalArgumentException e) {
            return ProbeResult.success(
                "probe terminated redirects: invalid Location \"" + location.get() + "\"");
          }
          if (target.getHost() == null || !target.getHost().equalsIgnoreCase(uri.getHost())) {
            return ProbeResult.success(
                "probe terminated redirects to another host ("
                    + target
                    + "), status "
                    + status
                    + ", response body: "
                    + response.body());
          }
          if (request >= MAX_REQUESTS) {
            return ProbeResult.failure(
                "Get \"" + uri + "\": stopped after " + MAX_REQUESTS + " redirects");
          }
          current = target;
          continue;
        }
      }
      if (status >= 200 && status < 400) {
        return ProbeResult.success("HTTP probe succeeded with statuscode: " + status);
      }
      return ProbeResult.failure("HTTP probe failed with statuscode: " + status);
    }
  }

  private HttpClient newClient(ClientKey key) {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(key.connectTimeout())
            .executor(executor);
    if (key.https()) {
      SSLParameters parameters = new SSLParameters();
      parameters.setEndpointIdentificationAlgorithm(null);
      builder.sslContext(TrustAllCertificates.sslContext()).sslParameters(parameters);
    }
    return builder.build();
  }

  private static ProbeResult timedOut(URI uri, Duration timeout) {
    return ProbeResult.failure(
        "Get \"" + uri + "\": no answer within the probe timeout " + timeout);
  }

  private static ProbeResult failure(URI uri, Throwable cause, Duration timeout) {
    if (cause instanceof HttpConnectTimeoutException || cause instanceof HttpTimeoutException) {
      return timedOut(uri, timeout);
    }
    if (cause instanceof ConnectException) {
      return ProbeResult.failure("Get \"" + uri + "\": connection refused");
    }
    return ProbeResult.failure("Get \"" + uri + "\": " + cause);
  }

  private ProbeResult tcpSocket(ProbeAction.TcpSocket tcp, Container spec, Duration timeout) {
    Optional<Integer> port = port(tcp.port(), spec);
    if (port.isEmpty()) {
      return ProbeResult.failure(
          "port "
              + describe(tcp.port())
              + " of the tcpSocket probe matches no port of container \""
              + spec.name()
              + "\"");
    }
    String host = host(tcp.host());
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
    Map<String, String> env = VariableExpansion.resolveEnv(spec.env());
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
    clients.values().forEach(HttpClient::close);
    clients.clear();
    executor.shutdown();
  }
}
