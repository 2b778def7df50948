package dev.kubeboot.testing;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * kube-controller-manager and kube-scheduler stand-ins (test doubles). They read {@code
 * --kubeconfig} (it must exist and hold a server URL and a client certificate), serve {@code
 * /healthz}, {@code /livez} and {@code /readyz} over HTTPS with a self-signed certificate made at
 * start, and log once a minute whether the API server's {@code /livez} answers to their identity.
 * Their health does not depend on the API server: the real ones also answer healthz while it is
 * away (until leader election gives up, which the stand-ins do not model). The controller-manager
 * runs the bootstrapsigner and tokencleaner controllers when {@code --controllers} turns them on
 * (kubeadm's {@code *,bootstrapsigner,tokencleaner} does), talking to the API server as its
 * kubeconfig says; every instance runs them (no leader election: their writes are idempotent).
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

  static final Duration API_TIMEOUT = Duration.ofSeconds(10);
  static final Duration INFORMER_RETRY = Duration.ofSeconds(2);

  private final Component component;
  private final Vertx vertx;
  private final HttpServer server;
  private final List<AutoCloseable> controllers;

  private ComponentStandIn(
      Component component, Vertx vertx, HttpServer server, List<AutoCloseable> controllers) {
    this.component = component;
    this.vertx = vertx;
    this.server = server;
    this.controllers = List.copyOf(controllers);
  }

  /**
   * Starts serving. Flags used: {@code --kubeconfig} (required), {@code --bind-address} (0.0.0.0),
   * {@code --secure-port} (10257 / 10259), and for the controller-manager {@code --controllers}
   * (*); all others are ignored.
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
      JsonMapper json = JsonMapper.builder().build();
      ApiClient api = new ApiClient(kubeconfig, json, API_TIMEOUT);
      ApiServerProbe probe = new ApiServerProbe(component, api);
      vertx.executeBlocking(probe::logOnce, false);
      vertx.setPeriodic(
          REACHABILITY_PERIOD.toMillis(), id -> vertx.executeBlocking(probe::logOnce, false));
      List<AutoCloseable> controllers =
          component == Component.CONTROLLER_MANAGER
              ? startControllers(Controllers.parse(flags.get("controllers", "*")), api, json, clock)
              : List.of();
      return new ComponentStandIn(component, vertx, server, controllers);
    } catch (RuntimeException | InterruptedException e) {
      vertx.close();
      throw e;
    }
  }

  /** The bootstrap token controllers --controllers turns on, started on shared caches. */
  private static List<AutoCloseable> startControllers(
      Controllers enabled, ApiClient api, JsonMapper json, Clock clock) {
    boolean signing = enabled.enabled(Controllers.BOOTSTRAP_SIGNER);
    boolean cleaning = enabled.enabled(Controllers.TOKEN_CLEANER);
    if (!signing && !cleaning) {
      return List.of();
    }
    List<AutoCloseable> started = new ArrayList<>();
    BootstrapSigner signer = new BootstrapSigner(api, clock);
    TokenCleaner cleaner = new TokenCleaner(api, clock, json);
    List<Informer.Listener> onToken = new ArrayList<>();
    if (signing) {
      onToken.add(signer::poke);
    }
    if (cleaning) {
      onToken.add(cleaner::changed);
    }
    Informer tokens =
        new Informer(
            "bootstrap token secrets",
            api,
            "/api/v1/namespaces/kube-system/secrets",
            "type=" + BootstrapToken.SECRET_TYPE,
            INFORMER_RETRY,
            onToken);
    if (cleaning) {
      cleaner.start(tokens);
      started.add(cleaner);
    }
    if (signing) {
      Informer clusterInfo =
          new Informer(
              "cluster-info",
              api,
              "/api/v1/namespaces/kube-public/configmaps",
              "metadata.name=" + BootstrapSigner.CLUSTER_INFO,
              INFORMER_RETRY,
              List.of(signer::poke));
      signer.start(tokens, clusterInfo);
      clusterInfo.start();
      started.add(clusterInfo);
      started.add(signer);
    }
    tokens.start();
    started.add(tokens);
    log.info(
        "kube-controller-manager stand-in (test double): controllers {}",
        (signing ? "bootstrapsigner " : "") + (cleaning ? "tokencleaner" : ""));
    return started;
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
    for (AutoCloseable controller : controllers) {
      try {
        controller.close();
      } catch (Exception e) {
        log.warn("{}: stopping {} failed: {}", component.binary, controller, e.toString());
      }
    }
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
  private record ApiServerProbe(Component component, ApiClient api) {
    Void logOnce() throws InterruptedException {
      try {
        log.info(
            "{} stand-in (test double): API server {} answered {}",
            component.binary,
            api.server().resolve("/livez"),
            api.status("/livez"));
      } catch (IOException e) {
        log.info(
            "{} stand-in (test double): API server {} unreachable: {}",
            component.binary,
            api.server().resolve("/livez"),
            EtcdHealth.describe(e));
      }
      return null;
    }
  }
}
