package dev.kubeboot.cli.join;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.health.TlsClients;
import dev.kubeboot.cli.token.BootstrapTokenString;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads objects of the cluster a node joins, as the bootstrap token's identity ({@code
 * system:bootstrappers:kubeadm:default-node-token}), over TLS verified with the CA discovery
 * pinned: what kubeadm's join reads before this node has credentials of its own.
 */
final class TokenClient {
  private final DiscoveredCluster cluster;
  private final BootstrapTokenString token;
  private final Duration callTimeout;
  private final JsonMapper json = JsonMapper.builder().build();

  TokenClient(DiscoveredCluster cluster, BootstrapTokenString token, Duration callTimeout) {
    this.cluster = cluster;
    this.token = token;
    this.callTimeout = callTimeout;
  }

  /**
   * The {@code data} of a ConfigMap or Secret in kube-system.
   *
   * @return empty when there is no such object (HTTP 404)
   * @throws KubebootException when the server does not answer or refuses the token
   */
  Optional<JsonNode> data(String resource, String name)
      throws KubebootException, InterruptedException {
    URI uri =
        URI.create(cluster.server() + "/api/v1/namespaces/kube-system/" + resource + "/" + name);
    HttpResponse<String> response;
    try (HttpClient client = TlsClients.trusting(cluster.caCertificates(), callTimeout)) {
      response =
          client.send(
              HttpRequest.newBuilder(uri)
                  .timeout(callTimeout)
                  .header("Accept", "application/json")
                  .header("Authorization", "Bearer " + token.value())
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new KubebootException(uri + " did not answer: " + e.getMessage(), e);
    }
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    if (response.statusCode() != 200) {
      throw new KubebootException(
          "cannot read "
              + resource
              + " kube-system/"
              + name
              + " with the bootstrap token "
              + token.id()
              + ": HTTP "
              + response.statusCode()
              + " "
              + response.body().strip());
    }
    try {
      return Optional.of(json.readTree(response.body()).path("data"));
    } catch (JacksonException e) {
      throw new KubebootException(uri + " answered no JSON: " + e.getOriginalMessage(), e);
    }
  }
}
