package dev.kubeboot.testing;

import tools.jackson.databind.JsonNode;

/**
 * Where a watch's events go: an HTTP chunked response or a WebSocket. The watch loop runs on its
 * own thread; the sink hands each event to the connection's event loop.
 */
interface WatchSink {
  /** Sends one {@code {"type":..., "object":...}} event; false once the watcher has gone. */
  boolean send(String type, JsonNode object);

  /** The watch is established (initial events sent, etcd watching): the stream may start. */
  void started();

  /** Whether the watcher has gone (or the watch was ended). */
  boolean closed();

  /** Runs {@code action} once when the watcher goes or the watch ends (at once if it has). */
  void onClose(Runnable action);

  /** Ends the watch from the server side. */
  void close();
}
