package dev.kubeboot.runner.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kubeboot.runner.metrics.RunnerMetrics;
import dev.kubeboot.runner.status.StatusJson;
import dev.kubeboot.runner.status.StatusStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The runner's local HTTP endpoint, read-only like the kubelet's healthz port (127.0.0.1:10248 by
 * default): {@code GET /healthz} answers "ok", {@code GET /pods} the current {@link StatusJson}
 * document and {@code GET /metrics} the runner's metrics in the Prometheus text format (unless they
 * have a listener of their own, {@link #metricsOnly}). Every other method answers 405 and every
 * other path 404: whatever changes the runner goes through its control socket ({@link
 * ControlServer}), which only the runner's user reaches. A request naming a host other than a
 * loopback name or the bound address is refused (403), so a web page cannot read the status through
 * DNS rebinding.
 */
public final class StatusServer implements AutoCloseable {
  private final HttpServer server;
  // The Host names a request may carry; empty: any.
  private final Set<String> hosts;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  private StatusServer(HttpServer server, Set<String> hosts) {
    this.server = server;
    this.hosts = hosts;
  }

  /**
   * Binds and starts serving.
   *
   * @param address e.g. 127.0.0.1:10248; port 0 picks a free port (see {@link #address()})
   * @throws StatusServerException the address is taken or cannot be bound
   */
  public static StatusServer start(InetSocketAddress address, StatusStore store) {
    return start(address, store, Optional.empty());
  }

  /**
   * As {@link #start(InetSocketAddress, StatusStore)}, also serving {@code /metrics} when given.
   *
   * @throws StatusServerException the address is taken or cannot be bound
   */
  public static StatusServer start(
      InetSocketAddress address, StatusStore store, Optional<RunnerMetrics> metrics) {
    Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    endpoints.put("/healthz", HEALTHZ);
    endpoints.put(
        "/pods", new Endpoint("application/json", () -> StatusJson.write(store.current())));
    metrics.ifPresent(m -> endpoints.put("/metrics", metricsEndpoint(m)));
    return start(address, endpoints, "the status endpoint", "the status port setting");
  }

  /**
   * A listener of its own for {@code /metrics} (and {@code /healthz}), read-only as the status
   * endpoint.
   *
   * @throws StatusServerException the address is taken or cannot be bound
   */
  public static StatusServer metricsOnly(InetSocketAddress address, RunnerMetrics metrics) {
    Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    endpoints.put("/healthz", HEALTHZ);
    endpoints.put("/metrics", metricsEndpoint(metrics));
    return start(address, endpoints, "metrics", "--metrics-bind-address");
  }

  /** One read-only document: its media type and how to make it. */
  private record Endpoint(String contentType, Supplier<String> body) {}

  private static final Endpoint HEALTHZ = new Endpoint("text/plain; charset=utf-8", () -> "ok");

  private static Endpoint metricsEndpoint(RunnerMetrics metrics) {
    return new Endpoint(RunnerMetrics.CONTENT_TYPE, metrics::scrape);
  }

  private static StatusServer start(
      InetSocketAddress address, Map<String, Endpoint> endpoints, String what, String setting) {
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new StatusServerException(
          "cannot listen on "
              + address
              + " for "
              + what
              + " ("
              + e.getMessage()
              + "); is another runner or a kubelet using it? Choose another port with "
              + setting,
          e);
    }
    // Bound to every address, any name of the host may be used: no Host check then.
    Set<String> hosts = Set.of();
    InetAddress bound = server.getAddress().getAddress();
    if (!bound.isAnyLocalAddress()) {
      String literal = bound.getHostAddress();
      var names = new java.util.HashSet<>(Set.of("localhost", "127.0.0.1", "[::1]"));
      names.add(bound instanceof java.net.Inet6Address ? "[" + literal + "]" : literal);
      hosts = Set.copyOf(names);
    }
    StatusServer s = new StatusServer(server, hosts);
    endpoints.forEach(
        (path, endpoint) ->
            server.createContext(
                path, ex -> s.answer(ex, endpoint.body(), endpoint.contentType())));
    server.createContext("/", ex -> s.answer(ex, null, null));
    server.setExecutor(s.executor);
    server.start();
    return s;
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  /**
   * Answers a read-only request: {@code body} for the context's exact path, 404 for any other, 405
   * for any method but GET and HEAD, 403 for a foreign Host header.
   */
  private void answer(HttpExchange exchange, Supplier<String> body, String contentType)
      throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(
            exchange,
            method,
            405,
            "text/plain; charset=utf-8",
            "method "
                + method
                + " not allowed: the status port is read-only; changes go through the runner's"
                + " control socket\n");
        return;
      }
      String host = exchange.getRequestHeaders().getFirst("Host");
      if (host != null && !hosts.isEmpty() && !hosts.contains(hostName(host))) {
        send(
            exchange,
            method,
            403,
            "text/plain; charset=utf-8",
            "host " + host + " is not this runner's: use 127.0.0.1\n");
        return;
      }
      String path = exchange.getRequestURI().getPath();
      if (body == null || !path.equals(exchange.getHttpContext().getPath())) {
        send(exchange, method, 404, "text/plain; charset=utf-8", "404 page not found\n");
        return;
      }
      send(exchange, method, 200, contentType, body.get());
    }
  }

  /** The Host header without its port. */
  private static String hostName(String host) {
    String h = host.strip().toLowerCase(java.util.Locale.ROOT);
    int colon = h.lastIndexOf(':');
    if (colon > 0 && h.indexOf(']') < colon) {
      h = h.substring(0, colon);
    }
    return h;
  }

  private static void send(
      HttpExchange exchange, String method, int code, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    if ("HEAD".equals(method)) {
      exchange.sendResponseHeaders(code, -1);
      return;
    }
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.close();
  }
}
