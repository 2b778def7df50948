package dev.kubeboot.testing;

import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.fabric8.mockwebserver.vertx.HttpServerRequestHandler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The stand-in's Kubernetes API: fabric8's kubernetes-server-mock in CRUD mode (objects in memory,
 * no validation, admission or RBAC) with what kubectl needs in front of it — discovery, OpenAPI v3,
 * JSON content types, server-side tables and HTTP-streaming watches (the mock itself only watches
 * over WebSocket, which fabric8 clients use and still get).
 */
final class KubernetesApi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KubernetesApi.class);

  private final Vertx vertx;
  private final JsonMapper json = JsonMapper.builder().build();
  private final KubernetesMixedDispatcher crud = new KubernetesMixedDispatcher(new HashMap<>());
  private final Discovery discovery;
  private final Tables tables;
  private final HttpServerRequestHandler mockHandler;

  KubernetesApi(Vertx vertx, Clock clock, String gitVersion) {
    this.vertx = vertx;
    this.discovery = new Discovery(json, gitVersion);
    this.tables = new Tables(json, clock);
    Dispatcher front =
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return KubernetesApi.this.dispatch(request);
          }
        };
    this.mockHandler =
        new HttpServerRequestHandler(vertx) {
          @Override
          protected MockResponse onHttpRequest(RecordedRequest request) {
            return front.dispatch(request);
          }
        };
  }

  void advertise(String address, int port) {
    discovery.advertise(address, port);
  }

  /** Serves one authenticated request. */
  void handle(HttpServerRequest request) {
    boolean upgrade = "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
    if (!upgrade && isWatch(request)) {
      new HttpWatch(request).start();
    } else {
      mockHandler.handle(request);
    }
  }

  /** Answers a request as the API would, without HTTP: for tests and for the watch path. */
  MockResponse dispatch(RecordedRequest request) {
    String pathAndQuery = request.getPath();
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    Map<String, List<String>> query =
        ApiServerStandIn.query(q < 0 ? "" : pathAndQuery.substring(q + 1));
    if (request.method() == HttpMethod.GET) {
      Optional<String> document = discovery.document(path);
      if (document.isPresent()) {
        return jsonResponse(200, document.get());
      }
      if (path.startsWith("/openapi/")) {
        return jsonResponse(
            404, StatusJson.failure(404, "NotFound", "the server could not find " + path));
      }
    }
    Optional<ApiResource> resource = ApiResource.forPath(path);
    if (resource.isEmpty() && (path.startsWith("/api/") || path.startsWith("/apis/"))) {
      return jsonResponse(
          404,
          StatusJson.failure(
              404,
              "NotFound",
              "the server could not find the requested resource (stand-in serves "
                  + ApiResource.SERVED.stream().map(ApiResource::plural).toList()
                  + ")"));
    }
    if (resource.isEmpty()) {
      return jsonResponse(404, StatusJson.failure(404, "NotFound", "404 page not found: " + path));
    }
    MockResponse response = crud.dispatch(request);
    if (response.getWebSocketListener() == null
        && response.code() == 200
        && request.method() == HttpMethod.GET
        && Tables.wanted(request.getHeader("Accept"))) {
      return asTable(response, resource.get(), first(query, "includeObject"));
    }
    if (response.header("Content-Type") == null) {
      response.setHeader("Content-Type", "application/json");
    }
    return response;
  }

  private MockResponse asTable(MockResponse response, ApiResource resource, String includeObject) {
    try {
      JsonNode body =
          json.readTree(new String(response.getBody().getBytes(), StandardCharsets.UTF_8));
      return jsonResponse(
          200, json.writeValueAsString(tables.table(body, resource.kind(), includeObject)));
    } catch (JacksonException e) {
      log.warn("the CRUD store answered something that is not JSON: {}", e.getOriginalMessage());
      return response.setHeader("Content-Type", "application/json");
    }
  }

  private static MockResponse jsonResponse(int code, String body) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(body);
  }

  private static boolean isWatch(HttpServerRequest request) {
    String watch = request.getParam("watch");
    return "true".equals(watch) || "1".equals(watch) || request.path().contains("/watch/");
  }

  private static String first(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.getFirst();
  }

  @Override
  public void close() {
    crud.shutdown();
  }

  /**
   * A watch over plain HTTP: the mock's WebSocket watch listener, given a socket that writes each
   * event as one line of a chunked response (kube-apiserver's streaming JSON watch).
   */
  private final class HttpWatch implements WebSocket {
    private final HttpServerRequest request;
    private final RecordedRequest recorded;
    private final boolean asTable;
    private final String includeObject;
    private final AtomicBoolean closed = new AtomicBoolean();
    private WebSocketListener listener;

    HttpWatch(HttpServerRequest request) {
      this.request = request;
      Headers.Builder headers = Headers.builder();
      request.headers().forEach(h -> headers.add(h.getKey(), h.getValue()));
      this.recorded =
          new RecordedRequest(
              "HTTP/1.1", HttpMethod.GET, request.uri(), headers.build(), new Buffer());
      this.asTable = Tables.wanted(request.getHeader("Accept"));
      this.includeObject = request.getParam("includeObject");
    }

    void start() {
      MockResponse response = dispatch(recorded);
      listener = response.getWebSocketListener();
      HttpServerResponse out = request.response();
      if (listener == null) {
        out.setStatusCode(response.code());
        response.getHeaders().toMultimap().forEach(out::putHeader);
        out.end(io.vertx.core.buffer.Buffer.buffer(response.getBody().getBytes()));
        return;
      }
      out.setStatusCode(200).setChunked(true).putHeader("Content-Type", "application/json");
      out.closeHandler(v -> stop(1001, "client went away"));
      out.writeHead();
      String timeout = request.getParam("timeoutSeconds");
      if (timeout != null && timeout.matches("\\d{1,6}") && Long.parseLong(timeout) > 0) {
        vertx.setTimer(Long.parseLong(timeout) * 1000, id -> close(1000, "timeout"));
      }
      listener.onOpen(this, response);
    }

    private void stop(int code, String reason) {
      if (closed.compareAndSet(false, true) && listener != null) {
        listener.onClosed(this, code, reason);
      }
    }

    @Override
    public RecordedRequest request() {
      return recorded;
    }

    @Override
    public boolean send(String text) {
      if (closed.get()) {
        return false;
      }
      String line = text;
      if (asTable) {
        try {
          JsonNode event = json.readTree(text);
          JsonNode object = event.path("object");
          String kind = object.path("kind").asString("");
          if (!kind.isEmpty() && !kind.equals("Status")) {
            ObjectNode converted = ((ObjectNode) event).deepCopy();
            converted.set("object", tables.table(object, kind, includeObject));
            line = json.writeValueAsString(converted);
          }
        } catch (JacksonException | ClassCastException e) {
          log.warn("watch event is not a JSON object, sent as is: {}", e.toString());
        }
      }
      request.response().write(line.endsWith("\n") ? line : line + "\n");
      return true;
    }

    @Override
    public boolean send(byte[] bytes) {
      return send(new String(bytes, StandardCharsets.UTF_8));
    }

    @Override
    public boolean close(int code, String reason) {
      stop(code, reason);
      if (!request.response().ended()) {
        request.response().end();
      }
      return true;
    }
  }
}
