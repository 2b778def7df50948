package dev.kubeboot.testing;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * client-go's reflector and store, small: lists a collection, then watches from the list's
 * resourceVersion, keeping a cache by name and telling listeners what changed. A watch the server
 * ends is resumed from the last resourceVersion seen (watches end after 5-10 minutes, as client-go
 * asks); 410 Gone and any failure relist, after {@code retry} when the API server is unreachable.
 * Listeners run on the informer's thread and must return quickly.
 */
final class Informer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Informer.class);

  /** A change to one object: before and after (empty for an addition or a deletion). */
  @FunctionalInterface
  interface Listener {
    void changed(String name, Optional<JsonNode> before, Optional<JsonNode> after);
  }

  private final String what;
  private final ApiClient api;
  private final String collectionPath;
  private final String fieldSelector;
  private final Duration retry;
  private final List<Listener> listeners;
  private final Map<String, JsonNode> cache = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private volatile ApiClient.Watch current;
  private Thread thread;

  Informer(
      String what,
      ApiClient api,
      String collectionPath,
      String fieldSelector,
      Duration retry,
      List<Listener> listeners) {
    this.what = what;
    this.api = api;
    this.collectionPath = collectionPath;
    this.fieldSelector = fieldSelector;
    this.retry = retry;
    this.listeners = List.copyOf(listeners);
  }

  void start() {
    thread = Thread.ofVirtual().name("informer-" + what).start(this::run);
  }

  /** The cached object named {@code name}. */
  Optional<JsonNode> get(String name) {
    return Optional.ofNullable(cache.get(name));
  }

  /** Every cached object. */
  Map<String, JsonNode> items() {
    return Map.copyOf(cache);
  }

  private void run() {
    String lastProblem = "";
    while (!closed) {
      try {
        String resourceVersion = relist();
        lastProblem = "";
        watchFrom(resourceVersion);
      } catch (IOException | ApiClient.ApiError e) {
        String problem = e.getMessage() == null ? e.toString() : e.getMessage();
        if (!closed && !problem.equals(lastProblem)) {
          log.info("{}: {} (retrying every {}s)", what, EtcdHealth.describe(e), retry.toSeconds());
          lastProblem = problem;
        }
        try {
          Thread.sleep(retry);
        } catch (InterruptedException ie) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private String relist() throws IOException, InterruptedException, ApiClient.ApiError {
    JsonNode list = api.get(collectionPath + "?fieldSelector=" + encode(fieldSelector));
    Map<String, JsonNode> fresh = new HashMap<>();
    for (JsonNode item : list.path("items")) {
      fresh.put(item.path("metadata").path("name").asString(""), item);
    }
    for (String name : Map.copyOf(cache).keySet()) {
      if (!fresh.containsKey(name)) {
        notify(name, Optional.ofNullable(cache.remove(name)), Optional.empty());
      }
    }
    for (Map.Entry<String, JsonNode> entry : fresh.entrySet()) {
      JsonNode before = cache.put(entry.getKey(), entry.getValue());
      if (!Objects.equals(before, entry.getValue())) {
        notify(entry.getKey(), Optional.ofNullable(before), Optional.of(entry.getValue()));
      }
    }
    return list.path("metadata").path("resourceVersion").asString("");
  }

  /** Watches until the server asks for a relist (410) or the stream fails. */
  private void watchFrom(String resourceVersion)
      throws IOException, InterruptedException, ApiClient.ApiError {
    String rv = resourceVersion;
    while (!closed) {
      long timeout = ThreadLocalRandom.current().nextLong(300, 600);
      try (ApiClient.Watch watch =
          api.watch(
              collectionPath
                  + "?watch=true&allowWatchBookmarks=true&resourceVersion="
                  + encode(rv)
                  + "&timeoutSeconds="
                  + timeout
                  + "&fieldSelector="
                  + encode(fieldSelector))) {
        current = watch;
        if (closed) {
          return;
        }
        Optional<JsonNode> event;
        while ((event = watch.next()).isPresent()) {
          String type = event.get().path("type").asString("");
          JsonNode object = event.get().path("object");
          if (type.equals("ERROR")) {
            log.info(
                "{}: watch ended by the server: {}", what, object.path("message").asString(""));
            return;
          }
          String name = object.path("metadata").path("name").asString("");
          rv = object.path("metadata").path("resourceVersion").asString(rv);
          switch (type) {
            case "ADDED", "MODIFIED" ->
                notify(name, Optional.ofNullable(cache.put(name, object)), Optional.of(object));
            case "DELETED" ->
                notify(name, Optional.ofNullable(cache.remove(name)), Optional.empty());
            default -> {}
          }
        }
      } finally {
        current = null;
      }
    }
  }

  private void notify(String name, Optional<JsonNode> before, Optional<JsonNode> after) {
    for (Listener listener : listeners) {
      try {
        listener.changed(name, before, after);
      } catch (RuntimeException e) {
        log.warn("{}: a listener failed on {}", what, name, e);
      }
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    closed = true;
    ApiClient.Watch watch = current;
    if (watch != null) {
      watch.close();
    }
    if (thread != null) {
      thread.interrupt();
    }
  }
}
