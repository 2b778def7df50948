package dev.kubeboot.testing;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-apiserver stand-in (test double). Honours the serving, client-CA and etcd flags kubeboot
 * renders: HTTPS with the given certificate, client certificates verified against {@code
 * --client-ca-file}, health endpoints that fail while etcd (reached over mTLS) is down, {@code
 * /version}, and an in-memory Kubernetes API for everything else ({@link KubernetesApi}). Anonymous
 * callers may read health and version only, as with kube-apiserver's default RBAC.
 */
final class ApiServerStandIn implements StandIn {
  static final String DEFAULT_GIT_VERSION = "v1.34.2-standin";
  private static final Logger log = LoggerFactory.getLogger(ApiServerStandIn.class);
  private static final Duration ETCD_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration ETCD_CACHE = Duration.ofSeconds(1);

  private final Vertx vertx;
  private final HttpServer server;
  private final KubernetesApi api;

  private ApiServerStandIn(Vertx vertx, HttpServer server, KubernetesApi api) {
    this.vertx = vertx;
    this.server = server;
    this.api = api;
  }

  /**
   * Starts serving. Flags used: {@code --bind-address} (0.0.0.0), {@code --secure-port} (6443),
   * {@code --tls-cert-file}, {@code --tls-private-key-file}, {@code --client-ca-file}, {@code
   * --anonymous-auth} (true), {@code --advertise-address}, {@code --etcd-servers}, {@code
   * --etcd-cafile}, {@code --etcd-certfile}, {@code --etcd-keyfile}; all others are ignored.
   */
  static ApiServerStandIn start(Flags flags, Clock clock, String gitVersion)
      throws InterruptedException {
    X509KeyManager serving =
        TlsMaterial.keyManager(
            flags.requiredFile("tls-cert-file"), flags.requiredFile("tls-private-key-file"));
    Optional<X509TrustManager> clientCa =
        flags.optionalFile("client-ca-file").map(TlsMaterial::trustManager);
    EtcdHealth etcd =
        new EtcdHealth(
            EtcdHealth.parseServers(flags.list("etcd-servers")),
            TlsMaterial.context(
                TlsMaterial.keyManager(
                    flags.requiredFile("etcd-certfile"), flags.requiredFile("etcd-keyfile")),
                TlsMaterial.trustManager(flags.requiredFile("etcd-cafile"))),
            ETCD_TIMEOUT,
            ETCD_CACHE,
            clock);
    boolean anonymousAuth = flags.bool("anonymous-auth", true);
    String host = flags.get("bind-address", "0.0.0.0");
    int port = flags.port("secure-port", 6443);
    String advertise = flags.get("advertise-address", "127.0.0.1");

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4));
    try {
      KubernetesApi api = new KubernetesApi(vertx, clock, gitVersion);
      Handler handler =
          new Handler(vertx, healthEndpoints(etcd), api, anonymousAuth, gitVersion, clock);
      HttpServer server =
          HttpsListener.start(vertx, host, port, serving, clientCa, handler::handle);
      ApiServerStandIn standIn = new ApiServerStandIn(vertx, server, api);
      api.advertise(advertise, server.actualPort());
      log.info(
          "kube-apiserver stand-in (test double) {} serving on https://{}:{}, etcd {}, client CA {}",
          gitVersion,
          host,
          server.actualPort(),
          flags.list("etcd-servers"),
          clientCa.isPresent() ? flags.get("client-ca-file", "") : "none (client certs ignored)");
      return standIn;
    } catch (RuntimeException | InterruptedException e) {
      vertx.close();
      throw e;
    }
  }

  private static HealthEndpoints healthEndpoints(EtcdHealth etcd) {
    HealthEndpoints.Check ping = CheckResult::ok;
    Map<String, HealthEndpoints.Check> livez = new LinkedHashMap<>();
    livez.put("ping", ping);
    livez.put("log", ping);
    livez.put("etcd", etcd::check);
    livez.put("poststarthook/start-kube-apiserver-admission-initializer", ping);
    Map<String, HealthEndpoints.Check> readyz = new LinkedHashMap<>(livez);
    readyz.put("etcd-readiness", etcd::check);
    readyz.put("informer-sync", ping);
    readyz.put("shutdown", ping);
    return new HealthEndpoints(Map.of("/livez", livez, "/readyz", readyz, "/healthz", livez));
  }

  @Override
  public int port() {
    return server.actualPort();
  }

  /** The in-memory Kubernetes API behind this server, for tests that seed or inspect it. */
  KubernetesApi api() {
    return api;
  }

  @Override
  public void close() {
    try {
      api.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      log.info("kube-apiserver stand-in (test double) stopped");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("kube-apiserver stand-in (test double) did not stop cleanly: {}", e.toString());
    }
  }

  /** Routes one request: health and version for anyone, the API for verified client certs. */
  private record Handler(
      Vertx vertx,
      HealthEndpoints health,
      KubernetesApi api,
      boolean anonymousAuth,
      String gitVersion,
      Clock clock) {

    void handle(HttpServerRequest request) {
      Optional<ClientIdentity> identity = ClientIdentity.of(request.sslSession());
      if (identity.isEmpty() && !anonymousAuth) {
        json(request.response(), 401, StatusJson.failure(401, "Unauthorized", "Unauthorized"));
        return;
      }
      String path = request.path();
      if (HealthEndpoints.isHealthPath(path)) {
        serveHealth(request, path);
      } else if (path.equals("/version") || path.equals("/version/")) {
        json(request.response(), 200, versionJson());
      } else if (identity.isEmpty()) {
        String verb = request.method().name().toLowerCase(Locale.ROOT);
        json(
            request.response(),
            403,
            StatusJson.failure(
                403,
                "Forbidden",
                "forbidden: User \"system:anonymous\" cannot " + verb + " path \"" + path + "\""));
      } else {
        log.debug("{} {} as {}", request.method(), request.uri(), identity.get());
        api.handle(request);
      }
    }

    private void serveHealth(HttpServerRequest request, String path) {
      Map<String, List<String>> query = query(request.query());
      vertx
          .executeBlocking(() -> health.answer(path, query), false)
          .onComplete(
              result -> {
                HttpServerResponse response = request.response();
                if (result.failed()) {
                  text(response, 500, "internal server error: " + result.cause() + "\n");
                } else {
                  text(response, result.result().status(), result.result().body());
                }
              });
    }

    private String versionJson() {
      String[] parts = gitVersion.replaceFirst("^v", "").split("[.-]");
      String major = parts.length > 0 ? parts[0] : "";
      String minor = parts.length > 1 ? parts[1] : "";
      return "{\"major\":"
          + StatusJson.quote(major)
          + ",\"minor\":"
          + StatusJson.quote(minor)
          + ",\"gitVersion\":"
          + StatusJson.quote(gitVersion)
          + ",\"gitCommit\":\"\",\"gitTreeState\":\"\",\"buildDate\":\"1970-01-01T00:00:00Z\","
          + "\"goVersion\":\"none (kube-apiserver stand-in, a test double)\",\"compiler\":\"\","
          + "\"platform\":\"linux/amd64\"}\n";
    }
  }

  static Map<String, List<String>> query(String query) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    if (query == null || query.isEmpty()) {
      return values;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return values;
  }

  static void json(HttpServerResponse response, int status, String body) {
    response
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-cache, private")
        .end(body);
  }

  static void text(HttpServerResponse response, int status, String body) {
    response
        .setStatusCode(status)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Cache-Control", "no-cache, private")
        .end(body);
  }
}
