package dev.kubeboot.testing;

import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A watch's events on a Vert.x connection, written on the connection's event loop: as
 * kube-apiserver's streaming JSON (one {@code {"type","object"}} line per event in a chunked
 * response, what kubectl and client-go read) or one WebSocket text message per event (what fabric8
 * clients use), with objects as server-side tables when the request asked for them.
 */
abstract sealed class ConnectionWatchSink implements WatchSink {
  private static final Logger log = LoggerFactory.getLogger(ConnectionWatchSink.class);

  protected final Context context;
  private final JsonMapper json;
  private final Tables tables;
  private final boolean asTable;
  private final String includeObject;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<Runnable> closeActions = new ArrayList<>();

  ConnectionWatchSink(
      Context context, JsonMapper json, Tables tables, boolean asTable, String includeObject) {
    this.context = context;
    this.json = json;
    this.tables = tables;
    this.asTable = asTable;
    this.includeObject = includeObject;
  }

  @Override
  public boolean send(String type, JsonNode object) {
    if (closed.get()) {
      return false;
    }
    ObjectNode event = json.createObjectNode().put("type", type);
    String kind = object.path("kind").asString("");
    if (asTable && !type.equals("ERROR") && !type.equals("BOOKMARK") && !kind.isEmpty()) {
      try {
        event.set("object", tables.table(object, kind, includeObject));
      } catch (JacksonException | ClassCastException e) {
        log.warn("watch event not convertible to a table, sent as is: {}", e.toString());
        event.set("object", object);
      }
    } else {
      event.set("object", object);
    }
    String text = json.writeValueAsString(event);
    context.runOnContext(v -> write(text));
    return true;
  }

  @Override
  public boolean closed() {
    return closed.get();
  }

  @Override
  public void onClose(Runnable action) {
    synchronized (closeActions) {
      if (!closed.get()) {
        closeActions.add(action);
        return;
      }
    }
    action.run();
  }

  /** The watcher went away: stop the watch loop (its etcd stream is closed). */
  protected final void markClosed() {
    if (closed.compareAndSet(false, true)) {
      List<Runnable> actions;
      synchronized (closeActions) {
        actions = List.copyOf(closeActions);
        closeActions.clear();
      }
      actions.forEach(Runnable::run);
    }
  }

  @Override
  public void close() {
    markClosed();
    context.runOnContext(v -> end());
  }

  /**
   * The watch failed before or while streaming: an HTTP error answer when nothing was written yet,
   * else an ERROR event; then the end.
   */
  void fail(int code, String statusJson) {
    if (!closed.get()) {
      context.runOnContext(v -> failOnContext(code, statusJson));
    }
    close();
  }

  protected abstract void write(String event);

  protected abstract void end();

  protected abstract void failOnContext(int code, String statusJson);

  /** Streaming JSON over a chunked HTTP response. */
  static final class Http extends ConnectionWatchSink {
    private final HttpServerResponse response;

    Http(
        Context context,
        JsonMapper json,
        Tables tables,
        boolean asTable,
        String includeObject,
        HttpServerResponse response) {
      super(context, json, tables, asTable, includeObject);
      this.response = response;
      response.closeHandler(v -> markClosed());
    }

    @Override
    public void started() {
      context.runOnContext(v -> head());
    }

    private void head() {
      if (!response.headWritten() && !response.ended()) {
        response
            .setStatusCode(200)
            .setChunked(true)
            .putHeader("Content-Type", "application/json")
            .putHeader("Cache-Control", "no-cache, private")
            .writeHead();
      }
    }

    @Override
    protected void write(String event) {
      if (!response.ended() && !response.closed()) {
        head();
        response.write(event + "\n");
      }
    }

    @Override
    protected void end() {
      if (!response.ended() && !response.closed()) {
        head();
        response.end();
      }
    }

    @Override
    protected void failOnContext(int code, String statusJson) {
      if (response.ended() || response.closed()) {
        return;
      }
      if (response.headWritten()) {
        response.write("{\"type\":\"ERROR\",\"object\":" + statusJson.strip() + "}\n");
      } else {
        ApiServerStandIn.json(response, code, statusJson);
      }
    }
  }

  /** One WebSocket text message per event. */
  static final class WebSocket extends ConnectionWatchSink {
    private final ServerWebSocket socket;

    WebSocket(
        Context context,
        JsonMapper json,
        Tables tables,
        boolean asTable,
        String includeObject,
        ServerWebSocket socket) {
      super(context, json, tables, asTable, includeObject);
      this.socket = socket;
      socket.closeHandler(v -> markClosed());
      socket.exceptionHandler(e -> markClosed());
    }

    @Override
    public void started() {}

    @Override
    protected void write(String event) {
      if (!socket.isClosed()) {
        socket.writeTextMessage(event);
      }
    }

    @Override
    protected void end() {
      if (!socket.isClosed()) {
        socket.close();
      }
    }

    @Override
    protected void failOnContext(int code, String statusJson) {
      if (!socket.isClosed()) {
        socket.writeTextMessage("{\"type\":\"ERROR\",\"object\":" + statusJson.strip() + "}");
      }
    }
  }
}
