package dev.kubeboot.runner.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.status.StatusJson;
import dev.kubeboot.runner.status.StatusStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runner's local HTTP endpoint, on 127.0.0.1:10248 by default like the kubelet's healthz port:
 * {@code GET /healthz} answers "ok", {@code GET /pods} the current {@link StatusJson} document, and
 * {@code POST /pods/<namespace>/<name>/restart} restarts a pod's containers (202 accepted, 404
 * unknown pod). Loopback only: the restart endpoint has no authentication.
 */
public final class StatusServer implements AutoCloseable {
  // Names are DNS labels/subdomains, so neither part can hold a slash.
  private static final Pattern RESTART = Pattern.compile("/pods/([^/]+)/([^/]+)/restart");

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  private StatusServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Binds and starts serving.
   *
   * @param address e.g. 127.0.0.1:10248; port 0 picks a free port (see {@link #address()})
   * @throws StatusServerException the address is taken or cannot be bound
   */
  public static StatusServer start(InetSocketAddress address, StatusStore store) {
    return start(address, store, PodRestarter.NONE);
  }

  /**
   * Binds and starts serving, restart requests included.
   *
   * @param address e.g. 127.0.0.1:10248; port 0 picks a free port (see {@link #address()})
   * @throws StatusServerException the address is taken or cannot be bound
   */
  public static StatusServer start(
      InetSocketAddress address, StatusStore store, PodRestarter restarter) {
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new StatusServerException(
          "cannot listen on "
              + address
              + " for the status endpoint ("
              + e.getMessage()
              + "); is another runner or a kubelet using it? Choose another port with the status"
              + " port setting",
          e);
    }
    StatusServer s = new StatusServer(server);
    server.createContext("/healthz", ex -> s.answer(ex, 200, "text/plain; charset=utf-8", "ok"));
    server.createContext(
        "/pods",
        ex -> {
          Matcher m = RESTART.matcher(ex.getRequestURI().getPath());
          if (m.matches()) {
            s.restart(ex, new PodKey(m.group(1), m.group(2)), restarter);
          } else {
            s.answer(ex, 200, "application/json", StatusJson.write(store.current()));
          }
        });
    server.createContext(
        "/", ex -> s.answer(ex, 404, "text/plain; charset=utf-8", "404 page not found\n"));
    server.setExecutor(s.executor);
    server.start();
    return s;
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void restart(HttpExchange exchange, PodKey key, PodRestarter restarter)
      throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!"POST".equals(method)) {
        exchange.getResponseHeaders().set("Allow", "POST");
        send(exchange, 405, "method " + method + " not allowed: use POST\n");
      } else if (restarter.restart(key)) {
        send(exchange, 202, "restarting static pod " + key + "\n");
      } else {
        send(exchange, 404, "static pod " + key + " is not running on this runner\n");
      }
    }
  }

  private static void send(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private void answer(HttpExchange exchange, int code, String contentType, String body)
      throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        byte[] msg = ("method " + method + " not allowed\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, msg.length);
        exchange.getResponseBody().write(msg);
        return;
      }
      String path = exchange.getRequestURI().getPath();
      if (code == 200 && !path.equals(exchange.getHttpContext().getPath())) {
        code = 404;
        body = "404 page not found\n";
        contentType = "text/plain; charset=utf-8";
      }
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
  }

  @Override
  public void close() {
    server.stop(0);
    executor.close();
  }
}
