package dev.kubeboot.cli.day2;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubeboot.cli.KubebootException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;

/**
 * A snapshot of etcd's data through its v3 API ({@code Maintenance.Snapshot}) as etcd's JSON
 * gateway serves it on the client port: a stream of JSON messages, each with a base64 chunk. The
 * gateway needs no gRPC stack next to the JDK's HTTP client; the file is what {@code etcdctl
 * snapshot save} writes (the data followed by its SHA-256), so {@code etcdctl snapshot restore}
 * takes it.
 */
final class EtcdSnapshot {
  private final HttpClient client;
  private final URI clientUrl;
  private final Duration timeout;

  /**
   * @param client an HTTP client with a certificate etcd accepts (mutual TLS)
   * @param clientUrl etcd's client URL, e.g. https://127.0.0.1:2379
   */
  EtcdSnapshot(HttpClient client, URI clientUrl, Duration timeout) {
    this.client = client;
    this.clientUrl = clientUrl;
    this.timeout = timeout;
  }

  /**
   * Writes the snapshot to {@code target} (through a temp file: a failed or cut stream leaves no
   * half snapshot); returns its size in bytes.
   */
  long save(Path target) throws KubebootException, InterruptedException {
    URI uri = clientUrl.resolve("/v3/maintenance/snapshot");
    Path partial = target.resolveSibling(target.getFileName() + ".part");
    try {
      var response =
          client.send(
              HttpRequest.newBuilder(uri)
                  .timeout(timeout)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{}"))
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
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
        long size;
        try (OutputStream out = Files.newOutputStream(partial)) {
          size = copyChunks(body, out, uri);
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        return size;
      }
    } catch (IOException e) {
      throw new KubebootException(
          "could not take a snapshot of etcd at "
              + uri
              + ": "
              + e.getMessage()
              + "; check etcd with kubeboot status, or pass --etcd-upgrade=false to leave etcd as it is",
          e);
    } finally {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException e) {
        // The target is what matters; a stale .part file is harmless.
      }
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
