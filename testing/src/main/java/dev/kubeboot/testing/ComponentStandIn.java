package dev.kubeboot.testing;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-controller-manager and kube-scheduler stand-ins (test doubles). They read {@code
 * --kubeconfig} (it must exist and hold a server URL and a client certificate), serve {@code
 * /healthz}, {@code /livez} and {@code /readyz} over HTTPS with a self-signed certificate made at
 * start, and log once a minute whether the API server's {@code /livez} answers to their identity.
 * Their health does not depend on the API server: the real ones also answer healthz while it is
 * away (until leader election gives up, which the stand-ins do not model).
 */
final class ComponentStandIn implements StandIn {
  private static final Logger log = LoggerFactory.getLogger(ComponentStandIn.class);
  private static final Set<String> HEALTH = Set.of("/healthz", "/livez", "/readyz");
  static final Duration REACHABILITY_PERIOD = Duration.ofMinutes(1);

  /** The two components this class stands in for, with their default secure ports. */
  enum Component {
    CONTROLLER_MANAGER("kube-controller-manager", 10257),
    SCHEDULER("kube-scheduler", 10259);

    final String binary;
    final int defaultPort;

    Component(String binary, int defaultPort) {
      this.binary = binary;
      this.defaultPort = defaultPort;
    }
  }

  private final Component component;
  private final Vertx vertx;
  private final HttpServer server;

  private ComponentStandIn(Component component, Vertx vertx, HttpServer server) {
    this.component = component;
    this.vertx = vertx;
    this.server = server;
  }

  /**
   * Starts serving. Flags used: {@code --kubeconfig} (required), {@code --bind-address} (0.0.0.0),
   * {@code --secure-port} (10257 / 10259); all others are ignored.
   */
  static ComponentStandIn start(Component component, Flags flags, Clock clock)
      throws InterruptedException {
    Kubeconfig kubeconfig = Kubeconfig.read(flags.requiredFile("kubeconfig"));
    String host = flags.get("bind-address", "0.0.0.0");
    int port = flags.port("secure-port", component.defaultPort);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    try {
      HttpServer server =
          HttpsListener.start(
              vertx,
              host,
              port,
              SelfSignedServing.create(clock),
              Optional.empty(),
              ComponentStandIn::serve);
      log.info(
          "{} stand-in (test double) serving health on https://{}:{}, API server {} per kubeconfig",
          component.binary,
          host,
          server.actualPort(),
          kubeconfig.server());
      ApiServerProbe probe = new ApiServerProbe(component, kubeconfig);
      vertx.executeBlocking(probe::logOnce, false);
      vertx.setPeriodic(
          REACHABILITY_PERIOD.toMillis(), id -> vertx.executeBlocking(probe::logOnce, false));
      return new ComponentStandIn(component, vertx, server);
    } catch (RuntimeException | InterruptedException e) {
      vertx.close();
      throw e;
    }
  }

  private static void serve(HttpServerRequest request) {
    String path = request.path();
    if (HEALTH.contains(path) || HEALTH.stream().anyMatch(h -> path.startsWith(h + "/"))) {
      ApiServerStandIn.text(request.response(), 200, "ok");
    } else {
      ApiServerStandIn.text(request.response(), 404, "404 page not found\n");
    }
  }

  @Override
  public int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      log.info("{} stand-in (test double) stopped", component.binary);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn(
          "{} stand-in (test double) did not stop cleanly: {}", component.binary, e.toString());
    }
  }

  /** Asks the API server's /livez with the kubeconfig's identity and logs the answer. */
  private static final class ApiServerProbe {
    private final Component component;
    private final URI livez;
    private final HttpClient client;

    ApiServerProbe(Component component, Kubeconfig kubeconfig) {
      this.component = component;
      this.livez = kubeconfig.server().resolve("/livez");
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
              .connectTimeout(Duration.ofSeconds(3))
              .build();
    }

    Void logOnce() throws InterruptedException {
      try {
        HttpResponse<String> response =
            client.send(
                HttpRequest.newBuilder(livez).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        log.info(
            "{} stand-in (test double): API server {} answered {}",
            component.binary,
            livez,
            response.statusCode());
      } catch (IOException e) {
        log.info(
            "{} stand-in (test double): API server {} unreachable: {}",
            component.binary,
            livez,
            EtcdHealth.describe(e));
      }
      return null;
    }
  }
}
