package dev.kubeboot.cli.etcd;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.kubeboot.cli.health.TlsClients;
import dev.kubeboot.pki.Pem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link EtcdCluster} over etcd's v3 JSON gateway ({@code /v3/cluster/member/*}, {@code
 * /v3/maintenance/status}), which etcd 3.4 and later serve on their client port: the same calls as
 * etcdctl's gRPC, without a gRPC stack in the CLI. Mutual TLS with the etcd CA and a client
 * certificate of it (kubeadm uses {@code etcd/healthcheck-client}). 64-bit IDs travel as JSON
 * strings. Its answers are small maps, read with jackson-jr, which {@code status} already loads for
 * the runner's answers: Jackson's data binding would add some 560 classes to its start.
 */
public final class EtcdGateway implements EtcdCluster {
  private final List<String> endpoints;
  private final HttpClient client;
  private final Duration callTimeout;

  EtcdGateway(List<String> endpoints, HttpClient client, Duration callTimeout) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no etcd endpoint to ask");
    }
    this.endpoints = List.copyOf(endpoints);
    this.client = client;
    this.callTimeout = callTimeout;
  }

  /**
   * @param ca the etcd CA that signed the members' serving certificates
   * @param cert a client certificate the members accept, with its key
   * @param callTimeout how long one call to one member may take
   * @throws EtcdException when the files cannot be read
   */
  public static EtcdGateway open(
      List<String> endpoints, Path ca, Path cert, Path key, Duration callTimeout)
      throws EtcdException {
    try {
      HttpClient client =
          TlsClients.mutual(
              Pem.decodeCertificate(Files.readString(ca)),
              Pem.decodeCertificate(Files.readString(cert)),
              Pem.decodePrivateKey(Files.readString(key)),
              callTimeout);
      return new EtcdGateway(endpoints, client, callTimeout);
    } catch (IOException | RuntimeException e) {
      throw new EtcdException(
          "cannot load the etcd client credentials ("
              + ca
              + ", "
              + cert
              + ", "
              + key
              + "): "
              + e.getMessage(),
          null,
          e);
    }
  }

  @Override
  public List<String> endpoints() {
    return endpoints;
  }

  @Override
  public List<EtcdMember> members() throws EtcdException {
    return members(call("/v3/cluster/member/list", Map.of()).get("members"));
  }

  @Override
  public Added addLearner(String peerUrl) throws EtcdException {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("peerURLs", List.of(peerUrl));
    request.put("isLearner", true);
    Map<String, Object> response = call("/v3/cluster/member/add", request);
    return new Added(member(response.get("member")), members(response.get("members")));
  }

  @Override
  public void promote(long memberId) throws EtcdException {
    call("/v3/cluster/member/promote", idRequest(memberId));
  }

  @Override
  public void remove(long memberId) throws EtcdException {
    call("/v3/cluster/member/remove", idRequest(memberId));
  }

  @Override
  public EtcdEndpointStatus status(String endpoint) throws EtcdException {
    Map<String, Object> s = callOne(endpoint, "/v3/maintenance/status", Map.of());
    return new EtcdEndpointStatus(
        endpoint,
        id(object(s.get("header")).get("member_id")),
        id(s.get("leader")),
        text(s.get("version")),
        Boolean.TRUE.equals(s.get("isLearner")),
        id(s.get("raftIndex")),
        id(s.get("raftAppliedIndex")));
  }

  @Override
  public boolean healthy(String endpoint) {
    try {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create(endpoint + "/health"))
                  .timeout(callTimeout)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return response.statusCode() == 200
          && text(object(JSON.std.anyFrom(response.body())).get("health")).equals("true");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    client.close();
  }

  private static Map<String, Object> idRequest(long memberId) {
    return Map.of("ID", Long.toUnsignedString(memberId));
  }

  /** The call on the first endpoint that answers; a refusal is not tried elsewhere. */
  private Map<String, Object> call(String path, Map<String, Object> request) throws EtcdException {
    List<EtcdException> failures = new ArrayList<>();
    for (String endpoint : endpoints) {
      try {
        return callOne(endpoint, path, request);
      } catch (EtcdException e) {
        if (!e.unreachable()) {
          throw e;
        }
        failures.add(e);
      }
    }
    // Refused everywhere: the last refusal stays the cause, so callers can tell that no etcd runs.
    boolean nothingListens = failures.stream().allMatch(EtcdException::nothingListens);
    throw new EtcdException(
        "no etcd member answered "
            + path
            + ": "
            + String.join("; ", failures.stream().map(Exception::getMessage).toList()),
        null,
        nothingListens ? failures.getLast() : null);
  }

  private Map<String, Object> callOne(String endpoint, String path, Map<String, Object> request)
      throws EtcdException {
    HttpResponse<String> response;
    try {
      response =
          client.send(
              HttpRequest.newBuilder(URI.create(endpoint + path))
                  .timeout(callTimeout)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(JSON.std.asString(request)))
                  .build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new EtcdException(endpoint + " did not answer (" + describe(e) + ")", null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EtcdException("interrupted while asking " + endpoint, null, e);
    }
    Map<String, Object> body;
    try {
      if (!(JSON.std.anyFrom(response.body()) instanceof Map<?, ?> map)) {
        throw new IOException("not a JSON object");
      }
      body = object(map);
    } catch (IOException e) {
      throw new EtcdException(
          endpoint + path + " answered " + response.statusCode() + " with no JSON body", null, e);
    }
    if (body.containsKey("error") || response.statusCode() != 200) {
      int code = body.get("code") instanceof Number n ? n.intValue() : 2;
      String message = body.get("message") instanceof String m ? m : response.body().strip();
      throw new EtcdException(endpoint + " refused " + path + ": " + message, code, null);
    }
    return body;
  }

  private static String describe(IOException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static List<EtcdMember> members(Object array) {
    List<EtcdMember> out = new ArrayList<>();
    for (Object m : list(array)) {
      out.add(member(m));
    }
    return out;
  }

  private static EtcdMember member(Object value) {
    Map<String, Object> m = object(value);
    return new EtcdMember(
        id(m.get("ID")),
        text(m.get("name")),
        strings(m.get("peerURLs")),
        strings(m.get("clientURLs")),
        Boolean.TRUE.equals(m.get("isLearner")));
  }

  private static List<String> strings(Object array) {
    List<String> out = new ArrayList<>();
    for (Object s : list(array)) {
      out.add(String.valueOf(s));
    }
    return out;
  }

  /** A JSON object's fields; empty for an absent field or another JSON type. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object value) {
    return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }

  /** A JSON array's elements; empty for an absent field or another JSON type. */
  private static List<?> list(Object value) {
    return value instanceof List<?> list ? list : List.of();
  }

  /** A string or a number as text; "" when absent (etcd's gateway leaves out empty values). */
  private static String text(Object value) {
    return value instanceof String || value instanceof Number || value instanceof Boolean
        ? String.valueOf(value)
        : "";
  }

  private static long id(Object value) {
    String text = text(value);
    return text.isEmpty() ? 0 : Long.parseUnsignedLong(text);
  }
}
