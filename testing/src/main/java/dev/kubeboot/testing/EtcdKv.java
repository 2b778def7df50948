package dev.kubeboot.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * etcd's v3 API through its JSON gateway ({@code /v3/kv/range}, {@code /v3/kv/txn}, {@code
 * /v3/watch}; etcd 3.4 serves it on the client port), over mTLS with the API server's etcd client
 * certificate. Chosen over jetcd so that the stand-in needs no gRPC/Netty next to Vert.x's Netty
 * and starts no heavier than before; the gateway offers every call the stand-in needs, with the
 * same revisions, compare-and-swap transactions and watch history as gRPC. Keys and values travel
 * base64-encoded; 64-bit numbers as JSON strings.
 *
 * <p>The servers of {@code --etcd-servers} are tried in turn; the one that answered last is asked
 * first next time. Thread-safe.
 */
final class EtcdKv {
  /** One stored key with its revisions (etcd's mvccpb.KeyValue). */
  record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version) {}

  /** A range read: the keys found, and the store's revision the read saw. */
  record Range(List<KeyValue> kvs, long revision) {
    Range {
      kvs = List.copyOf(kvs);
    }
  }

  /**
   * The outcome of a compare-and-swap transaction: the write's revision when it succeeded, else the
   * key as it is now (empty when it does not exist).
   */
  record Txn(boolean succeeded, long revision, Optional<KeyValue> current) {}

  /** One change seen by a watch. {@code prev} is the value before it (absent for a creation). */
  record Event(boolean deleted, KeyValue kv, Optional<KeyValue> prev) {}

  /** etcd did not answer, or answered with an error: the request may be retried. */
  static final class UnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** etcd itself answered gRPC code 14: it cannot serve the request now, another try may. */
    final boolean etcdUnavailable;

    UnavailableException(String message, Throwable cause) {
      this(message, cause, false);
    }

    UnavailableException(String message, Throwable cause, boolean etcdUnavailable) {
      super(message, cause);
      this.etcdUnavailable = etcdUnavailable;
    }
  }

  /** A watch asked for history that compaction has removed (kube-apiserver answers 410 Gone). */
  static final class CompactedException extends Exception {
    private static final long serialVersionUID = 1L;
    final long compactRevision;

    CompactedException(long compactRevision) {
      super("etcd compacted its history up to revision " + compactRevision);
      this.compactRevision = compactRevision;
    }
  }

  /** clientv3's wait between two tries of a repeatable request (backoffWaitBetween). */
  private static final Duration RETRY_WAIT = Duration.ofMillis(25);

  private static final int GRPC_UNAVAILABLE = 14;

  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private final List<URI> servers;
  private final HttpClient client;
  private final Duration timeout;
  private final JsonMapper json;
  private final AtomicInteger preferred = new AtomicInteger();

  EtcdKv(List<URI> servers, SSLContext tls, Duration timeout, JsonMapper json) {
    if (servers.isEmpty()) {
      throw new StandInConfigException(
          "--etcd-servers is required: pass --etcd-servers=https://127.0.0.1:2379");
    }
    this.servers = List.copyOf(servers);
    this.timeout = timeout;
    this.json = json;
    this.client =
        HttpClient.newBuilder()
            .sslContext(tls)
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
  }

  /** The key's current value, if it exists. */
  Optional<KeyValue> get(String key) {
    ObjectNode request = json.createObjectNode().put("key", b64(key));
    List<KeyValue> kvs = keyValues(read("/v3/kv/range", request).path("kvs"));
    return kvs.isEmpty() ? Optional.empty() : Optional.of(kvs.getFirst());
  }

  /**
   * Every key starting with {@code prefix}, in key order, as of {@code revision} (0: the latest).
   *
   * @throws CompactedException when {@code revision} is older than etcd's compacted history
   */
  Range range(String prefix, long revision) throws CompactedException {
    ObjectNode request =
        json.createObjectNode().put("key", b64(prefix)).put("range_end", b64(prefixEnd(prefix)));
    if (revision > 0) {
      request.put("revision", Long.toString(revision));
    }
    JsonNode response;
    try {
      response = read("/v3/kv/range", request);
    } catch (UnavailableException e) {
      if (e.getMessage().contains("required revision has been compacted")) {
        throw new CompactedException(revision);
      }
      throw e;
    }
    return new Range(keyValues(response.path("kvs")), revisionOf(response));
  }

  /** Writes {@code value} only if {@code key} does not exist yet (create_revision == 0). */
  Txn putIfAbsent(String key, byte[] value) {
    return txn(key, "CREATE", "create_revision", 0, put(key, value));
  }

  /** Writes {@code value} only if {@code key} was last written at {@code modRevision}. */
  Txn putIfUnchanged(String key, long modRevision, byte[] value) {
    return txn(key, "MOD", "mod_revision", modRevision, put(key, value));
  }

  /** Deletes {@code key} only if it was last written at {@code modRevision}. */
  Txn deleteIfUnchanged(String key, long modRevision) {
    ObjectNode delete = json.createObjectNode();
    delete.putObject("request_delete_range").put("key", b64(key));
    return txn(key, "MOD", "mod_revision", modRevision, delete);
  }

  /** Deletes every key under {@code prefix}; returns how many there were. */
  long deletePrefix(String prefix) {
    ObjectNode request =
        json.createObjectNode().put("key", b64(prefix)).put("range_end", b64(prefixEnd(prefix)));
    return Long.parseLong(call("/v3/kv/deleterange", request).path("deleted").asString("0"));
  }

  private ObjectNode put(String key, byte[] value) {
    ObjectNode put = json.createObjectNode();
    put.putObject("request_put").put("key", b64(key)).put("value", B64.encodeToString(value));
    return put;
  }

  private Txn txn(String key, String target, String field, long expected, ObjectNode onSuccess) {
    ObjectNode request = json.createObjectNode();
    request
        .putArray("compare")
        .addObject()
        .put("key", b64(key))
        .put("target", target)
        .put("result", "EQUAL")
        .put(field, Long.toString(expected));
    request.putArray("success").add(onSuccess);
    request.putArray("failure").addObject().putObject("request_range").put("key", b64(key));
    JsonNode response = call("/v3/kv/txn", request);
    long revision = revisionOf(response);
    if (response.path("succeeded").asBoolean(false)) {
      return new Txn(true, revision, Optional.empty());
    }
    List<KeyValue> current =
        keyValues(response.path("responses").path(0).path("response_range").path("kvs"));
    return new Txn(
        false, revision, current.isEmpty() ? Optional.empty() : Optional.of(current.getFirst()));
  }

  /**
   * Watches every key under {@code prefix} (or exactly {@code key} when {@code exact}) from {@code
   * startRevision}, replaying history from there. The stream stays open until closed or until etcd
   * goes away.
   */
  Watch watch(String prefixOrKey, boolean exact, long startRevision) {
    ObjectNode create = json.createObjectNode();
    ObjectNode request =
        create
            .putObject("create_request")
            .put("key", b64(prefixOrKey))
            .put("start_revision", Long.toString(startRevision))
            .put("prev_kv", true);
    if (!exact) {
      request.put("range_end", b64(prefixEnd(prefixOrKey)));
    }
    IOException last = null;
    int first = preferred.get();
    for (int i = 0; i < servers.size(); i++) {
      int index = (first + i) % servers.size();
      HttpRequest http =
          HttpRequest.newBuilder(servers.get(index).resolve("/v3/watch"))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(create)))
              .build();
      try {
        HttpResponse<InputStream> response =
            client.send(http, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
          String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
          throw new UnavailableException(
              "etcd " + servers.get(index) + " refused a watch: " + body.trim(), null);
        }
        preferred.set(index);
        return new Watch(response.body());
      } catch (IOException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UnavailableException("interrupted while opening an etcd watch", e);
      }
    }
    throw new UnavailableException(
        "etcd " + servers + " unreachable: " + EtcdHealth.describe(last), last);
  }

  /** An open watch stream: {@link #next()} blocks for the next batch of events. */
  final class Watch implements AutoCloseable {
    private final InputStream body;
    private final BufferedReader lines;

    private Watch(InputStream body) {
      this.body = body;
      this.lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    /**
     * The next events (possibly none: etcd's "created" and progress messages carry none); empty
     * when the stream ended.
     *
     * @throws CompactedException when the start revision is gone from etcd's history
     */
    Optional<List<Event>> next() throws IOException, CompactedException {
      String line = lines.readLine();
      while (line != null && line.isBlank()) {
        line = lines.readLine();
      }
      if (line == null) {
        return Optional.empty();
      }
      JsonNode result;
      try {
        result = json.readTree(line).path("result");
      } catch (JacksonException e) {
        throw new IOException("etcd sent a watch message that is not JSON: " + line, e);
      }
      if (result.path("canceled").asBoolean(false)) {
        long compact = Long.parseLong(result.path("compact_revision").asString("0"));
        if (compact > 0) {
          throw new CompactedException(compact);
        }
        throw new IOException("etcd cancelled the watch: " + result.path("cancel_reason"));
      }
      List<Event> events = new ArrayList<>();
      for (JsonNode event : result.path("events")) {
        JsonNode prev = event.path("prev_kv");
        events.add(
            new Event(
                "DELETE".equals(event.path("type").asString("PUT")),
                keyValue(event.path("kv")),
                prev.isObject() ? Optional.of(keyValue(prev)) : Optional.empty()));
      }
      return Optional.of(events);
    }

    @Override
    public void close() {
      try {
        body.close();
      } catch (IOException e) {
        // closing aborts the HTTP exchange; nothing more to do
      }
    }
  }

  /**
   * A read, which clientv3 calls repeatable: when etcd answers that it cannot serve it now (gRPC
   * code 14, Unavailable: "leader changed", "no leader", a timed-out ReadIndex), it is asked again,
   * the next server first, every {@link #RETRY_WAIT} until the request's timeout has passed. This
   * is what kube-apiserver's etcd client does for a Range, so a leader election among the members
   * is not an error the API's clients see. Writes are not retried (clientv3 does not either: the
   * first attempt may have been applied).
   */
  private JsonNode read(String path, ObjectNode body) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        return call(path, body);
      } catch (UnavailableException e) {
        if (!e.etcdUnavailable || System.nanoTime() + RETRY_WAIT.toNanos() > deadline) {
          throw e;
        }
        preferred.getAndUpdate(i -> (i + 1) % servers.size());
        try {
          Thread.sleep(RETRY_WAIT);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private JsonNode call(String path, ObjectNode body) {
    String text = json.writeValueAsString(body);
    List<String> failures = new ArrayList<>();
    int first = preferred.get();
    for (int i = 0; i < servers.size(); i++) {
      int index = (first + i) % servers.size();
      URI uri = servers.get(index).resolve(path);
      HttpRequest request =
          HttpRequest.newBuilder(uri)
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(text))
              .build();
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          preferred.set(index);
          return json.readTree(response.body());
        }
        // An answer with an error is etcd's verdict, not an unreachable server: do not go on.
        throw new UnavailableException(
            "etcd " + uri + " answered " + response.statusCode() + ": " + response.body().trim(),
            null,
            grpcCode(response.body()) == GRPC_UNAVAILABLE);
      } catch (IOException e) {
        failures.add(servers.get(index) + ": " + EtcdHealth.describe(e));
      } catch (JacksonException e) {
        throw new UnavailableException("etcd " + uri + " answered something not JSON", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UnavailableException("interrupted while calling etcd", e);
      }
    }
    throw new UnavailableException("etcd unreachable: " + String.join("; ", failures), null);
  }

  private int grpcCode(String errorBody) {
    try {
      return json.readTree(errorBody).path("code").asInt(-1);
    } catch (JacksonException e) {
      return -1;
    }
  }

  private static long revisionOf(JsonNode response) {
    return Long.parseLong(response.path("header").path("revision").asString("0"));
  }

  private static List<KeyValue> keyValues(JsonNode array) {
    List<KeyValue> kvs = new ArrayList<>();
    if (array instanceof ArrayNode items) {
      items.forEach(kv -> kvs.add(keyValue(kv)));
    }
    return kvs;
  }

  private static KeyValue keyValue(JsonNode kv) {
    return new KeyValue(
        new String(B64D.decode(kv.path("key").asString("")), StandardCharsets.UTF_8),
        B64D.decode(kv.path("value").asString("")),
        Long.parseLong(kv.path("create_revision").asString("0")),
        Long.parseLong(kv.path("mod_revision").asString("0")),
        Long.parseLong(kv.path("version").asString("0")));
  }

  private static String b64(String key) {
    return B64.encodeToString(key.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The end of a prefix range, as clientv3.GetPrefixRangeEnd: the prefix with its last byte + 1.
   */
  static String prefixEnd(String prefix) {
    byte[] bytes = prefix.getBytes(StandardCharsets.UTF_8);
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] != (byte) 0xff) {
        bytes[i]++;
        return new String(bytes, 0, i + 1, StandardCharsets.UTF_8);
      }
    }
    return "\0";
  }
}
