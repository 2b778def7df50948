package dev.kubeboot.cli.day2;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.runner.fs.AtomicWriter;
import dev.kubeboot.runner.manifest.GoDuration;
import dev.kubeboot.runner.worker.Sleeper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * A snapshot of etcd's data through its v3 API ({@code Maintenance.Snapshot}) as etcd's JSON
 * gateway serves it on the client port: a stream of JSON messages, each with a base64 chunk. The
 * gateway needs no gRPC stack next to the JDK's HTTP client; the file is what {@code etcdctl
 * snapshot save} writes (the data followed by its SHA-256), so {@code etcdctl snapshot restore}
 * takes it.
 */
final class EtcdSnapshot {
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final HttpClient client;
  private final URI clientUrl;
  private final Duration timeout;
  private final Clock clock;
  private final Sleeper sleeper;

  /**
   * @param client an HTTP client with a certificate etcd accepts (mutual TLS)
   * @param clientUrl etcd's client URL, e.g. https://127.0.0.1:2379
   * @param timeout how long to keep trying when etcd cannot be reached (a busy node, etcd just
   *     restarted), and how long one snapshot may take
   */
  EtcdSnapshot(HttpClient client, URI clientUrl, Duration timeout, Clock clock, Sleeper sleeper) {
    this.client = client;
    this.clientUrl = clientUrl;
    this.timeout = timeout;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /**
   * Writes the snapshot to {@code target}, retrying while etcd cannot be reached for up to the
   * timeout; an answer that refuses or breaks off the snapshot is not retried.
   */
  long save(Path target) throws KubebootException, InterruptedException {
    Instant deadline = clock.instant().plus(timeout);
    while (true) {
      try {
        return attempt(target);
      } catch (Unreachable e) {
        if (!clock.instant().plus(RETRY).isBefore(deadline)) {
          throw new KubebootException(
              "could not take a snapshot of etcd at "
                  + e.uri
                  + " within "
                  + GoDuration.format(timeout)
                  + ": "
                  + e.getMessage()
                  + "; check etcd with kubeboot status, or pass --etcd-upgrade=false to leave"
                  + " etcd as it is",
              e);
        }
        sleeper.sleepUntil(clock.instant().plus(RETRY));
      }
    }
  }

  /** etcd could not be reached: worth another try. */
  private static final class Unreachable extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient URI uri;

    Unreachable(URI uri, IOException cause) {
      super(
          cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(),
          cause);
      this.uri = uri;
    }
  }

  /**
   * One try (through a temp file: a failed or cut stream leaves no half snapshot); returns the
   * snapshot's size in bytes.
   */
  private long attempt(Path target) throws KubebootException, InterruptedException, Unreachable {
    URI uri = clientUrl.resolve("/v3/maintenance/snapshot");
    HttpResponse<InputStream> response;
    try {
      response =
          client.send(
              HttpRequest.newBuilder(uri)
                  .timeout(timeout)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{}"))
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new Unreachable(uri, e);
    }
    try {
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          throw new KubebootException(
              "etcd at "
                  + uri
                  + " refused the snapshot: HTTP "
                  + response.statusCode()
                  + " "
                  + new String(body.readNBytes(500), StandardCharsets.UTF_8).strip());
        }
        long[] size = new long[1];
        // 0600: the snapshot holds every Secret of the cluster.
        AtomicWriter.write(
            target,
            PosixFilePermissions.fromString("rw-------"),
            AtomicWriter.Durability.SYNCED,
            (OutputStream out) -> size[0] = copyChunks(body, out, uri));
        return size[0];
      }
    } catch (IOException e) {
      throw new KubebootException(
          "the snapshot of etcd at "
              + uri
              + " broke off: "
              + e.getMessage()
              + "; check etcd with kubeboot status, or pass --etcd-upgrade=false to leave etcd as"
              + " it is",
          e);
    }
  }

  /** Writes the chunks of the message stream; an error message or no final chunk fails. */
  private static long copyChunks(InputStream body, OutputStream out, URI uri)
      throws IOException, KubebootException {
    var mapper = new ObjectMapper();
    long written = 0;
    boolean last = false;
    try (JsonParser parser = new JsonFactory().createParser(body)) {
      while (parser.nextToken() == JsonToken.START_OBJECT) {
        JsonNode message = mapper.readTree(parser);
        if (message.has("error")) {
          throw new KubebootException(
              "etcd at " + uri + " stopped the snapshot: " + message.get("error"));
        }
        JsonNode result = message.path("result");
        String blob = result.path("blob").asText("");
        byte[] chunk = Base64.getDecoder().decode(blob);
        out.write(chunk);
        written += chunk.length;
        last = result.path("remaining_bytes").asLong(0) == 0;
      }
    }
    if (!last || written == 0) {
      throw new KubebootException(
          "etcd at " + uri + " ended the snapshot stream early (" + written + " bytes)");
    }
    return written;
  }
}
