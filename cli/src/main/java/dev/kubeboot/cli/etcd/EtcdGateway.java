package dev.kubeboot.cli.etcd;

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
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link EtcdCluster} over etcd's v3 JSON gateway ({@code /v3/cluster/member/*}, {@code
 * /v3/maintenance/status}), which etcd 3.4 and later serve on their client port: the same calls as
 * etcdctl's gRPC, without a gRPC stack in the CLI. Mutual TLS with the etcd CA and a client
 * certificate of it (kubeadm uses {@code etcd/healthcheck-client}). 64-bit IDs travel as JSON
 * strings.
 */
public final class EtcdGateway implements EtcdCluster {
  private final List<String> endpoints;
  private final HttpClient client;
  private final Duration callTimeout;
  private final JsonMapper json = JsonMapper.builder().build();

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
    return members(call("/v3/cluster/member/list", json.createObjectNode()).path("members"));
  }

  @Override
  public Added addLearner(String peerUrl) throws EtcdException {
    ObjectNode request = json.createObjectNode();
    request.putArray("peerURLs").add(peerUrl);
    request.put("isLearner", true);
    JsonNode response = call("/v3/cluster/member/add", request);
    return new Added(member(response.path("member")), members(response.path("members")));
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
    JsonNode s = callOne(endpoint, "/v3/maintenance/status", json.createObjectNode());
    return new EtcdEndpointStatus(
        endpoint,
        id(s.path("header").path("member_id")),
        id(s.path("leader")),
        s.path("version").asString(""),
        s.path("isLearner").asBoolean(false),
        id(s.path("raftIndex")),
        id(s.path("raftAppliedIndex")));
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
          && json.readTree(response.body()).path("health").asString("").equals("true");
    } catch (IOException | JacksonException e) {
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

  private ObjectNode idRequest(long memberId) {
    return json.createObjectNode().put("ID", Long.toUnsignedString(memberId));
  }

  /** The call on the first endpoint that answers; a refusal is not tried elsewhere. */
  private JsonNode call(String path, ObjectNode request) throws EtcdException {
    List<String> failures = new ArrayList<>();
    for (String endpoint : endpoints) {
      try {
        return callOne(endpoint, path, request);
      } catch (EtcdException e) {
        if (!e.unreachable()) {
          throw e;
        }
        failures.add(e.getMessage());
      }
    }
    throw new EtcdException(
        "no etcd member answered " + path + ": " + String.join("; ", failures), null, null);
  }

  private JsonNode callOne(String endpoint, String path, ObjectNode request) throws EtcdException {
    HttpResponse<String> response;
    try {
      response =
          client.send(
              HttpRequest.newBuilder(URI.create(endpoint + path))
                  .timeout(callTimeout)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(request)))
                  .build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new EtcdException(endpoint + " did not answer (" + describe(e) + ")", null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EtcdException("interrupted while asking " + endpoint, null, e);
    }
    JsonNode body;
    try {
      body = json.readTree(response.body());
    } catch (JacksonException e) {
      throw new EtcdException(
          endpoint + path + " answered " + response.statusCode() + " with no JSON body", null, e);
    }
    if (body.has("error") || response.statusCode() != 200) {
      int code = body.path("code").asInt(2);
      throw new EtcdException(
          endpoint + " refused " + path + ": " + body.path("message").asString(body.toString()),
          code,
          null);
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

  private static List<EtcdMember> members(JsonNode array) {
    List<EtcdMember> out = new ArrayList<>();
    for (JsonNode m : array) {
      out.add(member(m));
    }
    return out;
  }

  private static EtcdMember member(JsonNode m) {
    return new EtcdMember(
        id(m.path("ID")),
        m.path("name").asString(""),
        strings(m.path("peerURLs")),
        strings(m.path("clientURLs")),
        m.path("isLearner").asBoolean(false));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (JsonNode s : array) {
      out.add(s.asString());
    }
    return out;
  }

  private static long id(JsonNode node) {
    String text = node.asString("0");
    return text.isEmpty() ? 0 : Long.parseUnsignedLong(text);
  }
}
