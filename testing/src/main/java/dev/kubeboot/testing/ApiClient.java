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
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small Kubernetes API client for the controller-manager stand-in: the kubeconfig's server, CA
 * and client certificate, JSON bodies, and streaming watches, over the JDK's HTTP client.
 */
final class ApiClient {
  /** The API server answered with an error status; {@code body} is its Status. */
  static final class ApiError extends Exception {
    private static final long serialVersionUID = 1L;
    final int code;

    ApiError(int code, String method, URI uri, String body) {
      super(method + " " + uri + " answered " + code + ": " + body.trim());
      this.code = code;
    }
  }

  private final URI server;
  private final HttpClient client;
  private final JsonMapper json;
  private final Duration timeout;

  ApiClient(Kubeconfig kubeconfig, JsonMapper json, Duration timeout) {
    this.server = kubeconfig.server();
    this.json = json;
    this.timeout = timeout;
    X509TrustManager trust =
        kubeconfig.authorities().isEmpty()
            ? TlsMaterial.trustManager(kubeconfig.clientChain())
            : TlsMaterial.trustManager(kubeconfig.authorities());
    SSLContext tls =
        TlsMaterial.context(
            TlsMaterial.keyManager(kubeconfig.clientChain(), kubeconfig.clientKey()), trust);
    this.client =
        HttpClient.newBuilder()
            .sslContext(tls)
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
  }

  URI server() {
    return server;
  }

  /** The status code of a GET (for reachability logging). */
  int status(String path) throws IOException, InterruptedException {
    return client
        .send(
            HttpRequest.newBuilder(server.resolve(path)).timeout(timeout).GET().build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  JsonNode get(String pathAndQuery) throws IOException, InterruptedException, ApiError {
    return send("GET", pathAndQuery, Optional.empty());
  }

  JsonNode put(String path, JsonNode body) throws IOException, InterruptedException, ApiError {
    return send("PUT", path, Optional.of(body));
  }

  JsonNode delete(String path, JsonNode options)
      throws IOException, InterruptedException, ApiError {
    return send("DELETE", path, Optional.of(options));
  }

  private JsonNode send(String method, String pathAndQuery, Optional<JsonNode> body)
      throws IOException, InterruptedException, ApiError {
    URI uri = server.resolve(pathAndQuery);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
    if (body.isPresent()) {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body.get())));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new ApiError(response.statusCode(), method, uri, response.body());
    }
    try {
      return json.readTree(response.body());
    } catch (JacksonException e) {
      throw new IOException(method + " " + uri + " answered something that is not JSON", e);
    }
  }

  /** Opens a streaming watch; read it with {@link Watch#next()}, end it with close. */
  Watch watch(String pathAndQuery) throws IOException, InterruptedException, ApiError {
    URI uri = server.resolve(pathAndQuery);
    HttpResponse<InputStream> response =
        client.send(
            HttpRequest.newBuilder(uri).header("Accept", "application/json").GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      String body;
      try (InputStream in = response.body()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      throw new ApiError(response.statusCode(), "GET", uri, body);
    }
    return new Watch(response.body());
  }

  /** An open watch: one JSON event per line. */
  final class Watch implements AutoCloseable {
    private final InputStream body;
    private final BufferedReader lines;

    private Watch(InputStream body) {
      this.body = body;
      this.lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    /** The next event, or empty when the server ended the stream. */
    Optional<JsonNode> next() throws IOException {
      String line = lines.readLine();
      while (line != null && line.isBlank()) {
        line = lines.readLine();
      }
      if (line == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(json.readTree(line));
      } catch (JacksonException e) {
        throw new IOException("a watch event is not JSON: " + line, e);
      }
    }

    @Override
    public void close() {
      try {
        body.close();
      } catch (IOException e) {
        // closing aborts the exchange; nothing more to do
      }
    }
  }
}
