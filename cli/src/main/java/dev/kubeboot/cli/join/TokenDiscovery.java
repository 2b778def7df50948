package dev.kubeboot.cli.join;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.cluster.ClusterInfoObjects;
import dev.kubeboot.cli.health.TlsClients;
import dev.kubeboot.cli.token.BootstrapTokenString;
import dev.kubeboot.pki.PublicKeyPins;
import dev.kubeboot.runner.worker.Sleeper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * kubeadm's token discovery: read {@code kube-public/cluster-info} without credentials and without
 * trusting the server yet, check that the bootstrap signer signed its kubeconfig with our token
 * (only someone holding the token could), pin the kubeconfig's CA by the public key hashes the user
 * was given, then read cluster-info again over TLS verified against that CA and insist on the same
 * kubeconfig. Nothing is written here: a refusal leaves the node untouched.
 */
public final class TokenDiscovery {
  /** kubeadm's DiscoveryRetryInterval. */
  public static final Duration RETRY = Duration.ofSeconds(5);

  private final Duration timeout;
  private final Duration callTimeout;
  private final Clock clock;
  private final Sleeper sleeper;
  private final JsonMapper json = JsonMapper.builder().build();

  /**
   * @param timeout how long the unauthenticated read keeps trying ({@code timeouts.discovery},
   *     default 5m) while the server does not answer or holds no signature for the token yet
   * @param callTimeout how long one request may take
   */
  public TokenDiscovery(Duration timeout, Duration callTimeout, Clock clock, Sleeper sleeper) {
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  /**
   * @param endpoint the API server's {@code host:port}
   * @param pins {@code sha256:<hex>} pins, at least one of which the CA must match; empty only with
   *     {@code unsafeSkipCaVerification}
   */
  public DiscoveredCluster discover(
      String endpoint,
      BootstrapTokenString token,
      List<String> pins,
      boolean unsafeSkipCaVerification)
      throws KubebootException, InterruptedException {
    if (pins.isEmpty() && !unsafeSkipCaVerification) {
      throw new KubebootException(
          "token-based discovery without --discovery-token-ca-cert-hash would trust any server"
              + " that answers at "
              + endpoint
              + "; give the CA's hash (kubeboot init prints it) or, knowingly,"
              + " --discovery-token-unsafe-skip-ca-verification");
    }
    URI uri =
        URI.create(
            "https://"
                + endpoint
                + "/api/v1/namespaces/"
                + ClusterInfoObjects.NAMESPACE
                + "/configmaps/"
                + ClusterInfoObjects.NAME);
    String kubeconfig;
    try (HttpClient insecure = TlsClients.insecure(callTimeout)) {
      kubeconfig = signedKubeconfig(insecure, uri, token);
    }
    DiscoveredCluster cluster =
        DiscoveryKubeconfig.parse("the cluster-info kubeconfig at " + uri, kubeconfig);
    if (unsafeSkipCaVerification) {
      return cluster;
    }
    List<String> found = new ArrayList<>();
    for (X509Certificate ca : cluster.caCertificates()) {
      found.add(PublicKeyPins.sha256(ca));
    }
    if (found.stream().noneMatch(pins::contains)) {
      throw new KubebootException(
          "the CA that "
              + endpoint
              + " presents in cluster-info does not match --discovery-token-ca-cert-hash: its"
              + " public key pins are "
              + String.join(", ", found)
              + ", the pins given are "
              + String.join(", ", pins)
              + "; check the hash (kubeboot init printed it) and the endpoint; nothing was"
              + " written");
    }
    try (HttpClient verified = TlsClients.trusting(cluster.caCertificates(), callTimeout)) {
      String again;
      try {
        again = configMapData(verified, uri).path(ClusterInfoObjects.KUBECONFIG_KEY).asString("");
      } catch (IOException e) {
        throw new KubebootException(
            endpoint
                + " does not answer over TLS verified with the pinned CA ("
                + e.getMessage()
                + "): its serving certificate is not signed by that CA or does not name "
                + endpoint,
            e);
      }
      if (!again.equals(kubeconfig)) {
        throw new KubebootException(
            "cluster-info read over TLS verified with the pinned CA differs from the signed copy"
                + " read before; the server changed it in between or someone is in the way: try"
                + " again");
      }
    }
    return cluster;
  }

  /** cluster-info's kubeconfig once its signature for the token is there and verifies. */
  private String signedKubeconfig(HttpClient client, URI uri, BootstrapTokenString token)
      throws KubebootException, InterruptedException {
    Instant deadline = clock.instant().plus(timeout);
    String jwsKey = ClusterInfoObjects.JWS_PREFIX + token.id();
    while (true) {
      String problem;
      try {
        JsonNode data = configMapData(client, uri);
        JsonNode kubeconfig = data.path(ClusterInfoObjects.KUBECONFIG_KEY);
        JsonNode signature = data.path(jwsKey);
        if (!kubeconfig.isString()) {
          problem =
              "cluster-info has no "
                  + ClusterInfoObjects.KUBECONFIG_KEY
                  + " key: the cluster is not set up for token discovery";
        } else if (!signature.isString()) {
          problem =
              "token id \""
                  + token.id()
                  + "\" is invalid for this cluster or it has expired (cluster-info has no "
                  + jwsKey
                  + " signature); create a token with kubeboot token create on a control-plane"
                  + " node";
        } else if (!DetachedJws.verifies(signature.asString(), kubeconfig.asString(), token)) {
          throw new KubebootException(
              "the "
                  + jwsKey
                  + " signature of cluster-info at "
                  + uri
                  + " does not verify with the token given: the token's secret is wrong, or this"
                  + " is not the cluster the token belongs to; cannot trust this API server");
        } else {
          return kubeconfig.asString();
        }
      } catch (IOException e) {
        problem = uri + " did not answer: " + e.getMessage();
      }
      Instant next = clock.instant().plus(RETRY);
      if (!next.isBefore(deadline)) {
        throw new KubebootException(
            "discovery gave up after "
                + timeout.toSeconds()
                + "s (timeouts.discovery): "
                + problem);
      }
      sleeper.sleepUntil(next);
    }
  }

  /** The ConfigMap's data; a status other than 200 is an IOException naming it. */
  private JsonNode configMapData(HttpClient client, URI uri)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(uri)
                .timeout(callTimeout)
                .header("Accept", "application/json")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() != 200) {
      throw new IOException(
          "HTTP " + response.statusCode() + " " + abbreviate(response.body().strip()));
    }
    try {
      return json.readTree(response.body()).path("data");
    } catch (JacksonException e) {
      throw new IOException("the answer is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static String abbreviate(String body) {
    return body.length() > 200 ? body.substring(0, 200) + "..." : body;
  }
}
