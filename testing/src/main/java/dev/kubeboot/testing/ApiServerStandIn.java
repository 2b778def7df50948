package dev.kubeboot.testing;

import io.vertx.core.Context;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * kube-apiserver stand-in (test double). Honours the serving, client-CA, authentication and etcd
 * flags kubeboot renders: HTTPS with the given certificate, client certificates verified against
 * {@code --client-ca-file}, bootstrap tokens with {@code --enable-bootstrap-token-auth}, health
 * endpoints that fail while etcd (reached over mTLS) is down, {@code /version}, and a Kubernetes
 * API whose objects live in that etcd ({@link RestApi} over {@link ObjectStore}), so that several
 * stand-ins on one etcd are one cluster and a restart loses nothing. Anonymous callers may read
 * health and version, and what RBAC objects in etcd grant system:anonymous (see {@link
 * RbacAuthorizer}).
 */
final class ApiServerStandIn implements StandIn {
  static final String DEFAULT_GIT_VERSION = "v1.34.2-standin";
  private static final Logger log = LoggerFactory.getLogger(ApiServerStandIn.class);
  private static final Duration ETCD_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration ETCD_CACHE = Duration.ofSeconds(1);
  private static final Duration ETCD_REQUEST_TIMEOUT = Duration.ofSeconds(5);

  /** kube-apiserver's limit on a request body (3 MiB). */
  static final long MAX_BODY = 3L * 1024 * 1024;

  private final Vertx vertx;
  private final HttpServer server;
  private final ExecutorService work;
  private final BootstrapObjects bootstrap;

  private ApiServerStandIn(
      Vertx vertx, HttpServer server, ExecutorService work, BootstrapObjects bootstrap) {
    this.vertx = vertx;
    this.server = server;
    this.work = work;
    this.bootstrap = bootstrap;
  }

  /**
   * Starts serving. Flags used: {@code --bind-address} (0.0.0.0), {@code --secure-port} (6443),
   * {@code --tls-cert-file}, {@code --tls-private-key-file}, {@code --client-ca-file}, {@code
   * --anonymous-auth} (true), {@code --enable-bootstrap-token-auth} (false), {@code
   * --advertise-address}, {@code --etcd-servers}, {@code --etcd-cafile}, {@code --etcd-certfile},
   * {@code --etcd-keyfile}, {@code --etcd-prefix} (/registry); all others are ignored.
   */
  static ApiServerStandIn start(Flags flags, Clock clock, String gitVersion)
      throws InterruptedException {
    X509KeyManager serving =
        TlsMaterial.keyManager(
            flags.requiredFile("tls-cert-file"), flags.requiredFile("tls-private-key-file"));
    Optional<X509TrustManager> clientCa =
        flags.optionalFile("client-ca-file").map(TlsMaterial::trustManager);
    SSLContext etcdTls =
        TlsMaterial.context(
            TlsMaterial.keyManager(
                flags.requiredFile("etcd-certfile"), flags.requiredFile("etcd-keyfile")),
            TlsMaterial.trustManager(flags.requiredFile("etcd-cafile")));
    var etcdServers = EtcdHealth.parseServers(flags.list("etcd-servers"));
    EtcdHealth etcdHealth = new EtcdHealth(etcdServers, etcdTls, ETCD_TIMEOUT, ETCD_CACHE, clock);
    JsonMapper json = JsonMapper.builder().build();
    EtcdKv etcd = new EtcdKv(etcdServers, etcdTls, ETCD_REQUEST_TIMEOUT, json);
    String etcdPrefix = flags.get("etcd-prefix", "/registry");
    boolean anonymousAuth = flags.bool("anonymous-auth", true);
    boolean bootstrapTokenAuth = flags.bool("enable-bootstrap-token-auth", false);
    String host = flags.get("bind-address", "0.0.0.0");
    int port = flags.port("secure-port", 6443);
    String advertise = flags.get("advertise-address", "127.0.0.1");

    ObjectStore store = new ObjectStore(etcd, etcdPrefix, json, clock);
    BootstrapObjects bootstrap = new BootstrapObjects(store, json);
    Discovery discovery = new Discovery(json, gitVersion);
    Tables tables = new Tables(json, clock);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2));
    ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
    try {
      Handler handler =
          new Handler(
              vertx,
              work,
              healthEndpoints(etcdHealth, bootstrap),
              new RestApi(json, discovery, tables, store),
              json,
              tables,
              anonymousAuth,
              bootstrapTokenAuth
                  ? Optional.of(new BootstrapTokenAuthenticator(store, clock))
                  : Optional.empty(),
              new RbacAuthorizer(store),
              gitVersion);
      HttpServer server =
          HttpsListener.start(vertx, host, port, serving, clientCa, handler::handle);
      discovery.advertise(advertise, server.actualPort());
      bootstrap.start();
      log.info(
          "kube-apiserver stand-in (test double) {} serving on https://{}:{}, objects in etcd {}"
              + " under {}, client CA {}, bootstrap tokens {}",
          gitVersion,
          host,
          server.actualPort(),
          flags.list("etcd-servers"),
          etcdPrefix,
          clientCa.isPresent() ? flags.get("client-ca-file", "") : "none (client certs ignored)",
          bootstrapTokenAuth ? "on" : "off");
      return new ApiServerStandIn(vertx, server, work, bootstrap);
    } catch (RuntimeException | InterruptedException e) {
      work.shutdownNow();
      vertx.close();
      throw e;
    }
  }

  private static HealthEndpoints healthEndpoints(EtcdHealth etcd, BootstrapObjects bootstrap) {
    HealthEndpoints.Check ping = CheckResult::ok;
    Map<String, HealthEndpoints.Check> livez = new LinkedHashMap<>();
    livez.put("ping", ping);
    livez.put("log", ping);
    livez.put("etcd", etcd::check);
    livez.put("poststarthook/start-kube-apiserver-admission-initializer", ping);
    livez.put("poststarthook/start-system-namespaces-controller", bootstrap::namespacesCheck);
    livez.put("poststarthook/rbac/bootstrap-roles", bootstrap::rolesCheck);
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

  @Override
  public void close() {
    try {
      bootstrap.close();
      work.shutdownNow();
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      log.info("kube-apiserver stand-in (test double) stopped");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("kube-apiserver stand-in (test double) did not stop cleanly: {}", e.toString());
    }
  }

  /**
   * Routes one request: authentication (client certificate, else bootstrap token, else anonymous),
   * health and version for anyone authenticated, authorization, then the API. Work that waits on
   * etcd runs on virtual threads; answers are written on the connection's event loop.
   */
  private record Handler(
      Vertx vertx,
      ExecutorService work,
      HealthEndpoints health,
      RestApi rest,
      JsonMapper mapper,
      Tables tables,
      boolean anonymousAuth,
      Optional<BootstrapTokenAuthenticator> tokens,
      RbacAuthorizer authorizer,
      String gitVersion) {

    void handle(HttpServerRequest request) {
      Context context = vertx.getOrCreateContext();
      Optional<ClientIdentity> certificate = ClientIdentity.of(request.sslSession());
      if (certificate.isPresent()) {
        proceed(request, context, certificate.get());
        return;
      }
      Optional<String> bearer = bearer(request.getHeader("Authorization"));
      if (bearer.isPresent()) {
        if (tokens.isEmpty()) {
          unauthorized(request.response());
          return;
        }
        request.pause();
        work.execute(
            () -> {
              Optional<ClientIdentity> who;
              try {
                who = tokens.get().authenticate(bearer.get());
              } catch (EtcdKv.UnavailableException e) {
                log.warn("bootstrap token not checked, etcd is unreachable: {}", e.getMessage());
                who = Optional.empty();
              }
              Optional<ClientIdentity> identity = who;
              context.runOnContext(
                  v ->
                      identity.ifPresentOrElse(
                          id -> proceed(request, context, id),
                          () -> unauthorized(request.response())));
            });
        return;
      }
      if (!anonymousAuth) {
        unauthorized(request.response());
        return;
      }
      proceed(request, context, ClientIdentity.ANONYMOUS);
    }

    private void proceed(HttpServerRequest request, Context context, ClientIdentity who) {
      String path = request.path();
      if (HealthEndpoints.isHealthPath(path)) {
        request.resume();
        serveHealth(request, path);
        return;
      }
      if (path.equals("/version") || path.equals("/version/")) {
        request.resume();
        json(request.response(), 200, versionJson());
        return;
      }
      if (who.source() == ClientIdentity.Source.CERTIFICATE) {
        dispatch(request, context, who);
        return;
      }
      String method = request.method().name();
      RequestAttributes attributes = RequestAttributes.of(method, path, query(request.query()));
      request.pause();
      work.execute(
          () -> {
            boolean allowed;
            try {
              allowed = authorizer.allowed(who, attributes);
            } catch (EtcdKv.UnavailableException e) {
              ApiException failure = ApiException.storageUnavailable(e.getMessage());
              context.runOnContext(
                  v -> json(request.response(), failure.code, failure.statusJson()));
              return;
            }
            context.runOnContext(
                v -> {
                  if (allowed) {
                    dispatch(request, context, who);
                  } else {
                    log.info("forbidden: {} {} for {}", method, request.uri(), who.user());
                    ApiException denied =
                        ApiException.forbidden(attributes.forbiddenMessage(who.user()));
                    json(request.response(), denied.code, denied.statusJson());
                  }
                });
          });
    }

    private void dispatch(HttpServerRequest request, Context context, ClientIdentity who) {
      log.debug("{} {} as {}", request.method(), request.uri(), who.user());
      boolean upgrade = "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
      RestApi.Request base =
          new RestApi.Request(
              request.method().name(),
              request.path(),
              query(request.query()),
              request.getHeader("Content-Type"),
              request.getHeader("Accept"),
              new byte[0]);
      if (upgrade) {
        if (!base.isWatch()) {
          json(
              request.response(),
              400,
              StatusJson.failure(
                  400, "BadRequest", "the stand-in serves only watches over WebSocket"));
          return;
        }
        request
            .toWebSocket()
            .onSuccess(
                socket -> {
                  ConnectionWatchSink sink =
                      new ConnectionWatchSink.WebSocket(
                          context,
                          mapper,
                          tables,
                          Tables.wanted(base.accept()),
                          base.param("includeObject"),
                          socket);
                  startWatch(base, sink);
                })
            .onFailure(
                e -> log.warn("WebSocket upgrade of {} failed: {}", base.path(), e.toString()));
        return;
      }
      if (base.isWatch()) {
        request.resume();
        ConnectionWatchSink sink =
            new ConnectionWatchSink.Http(
                context,
                mapper,
                tables,
                Tables.wanted(base.accept()),
                base.param("includeObject"),
                request.response());
        startWatch(base, sink);
        return;
      }
      String length = request.getHeader("Content-Length");
      if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > MAX_BODY) {
        ApiException tooLarge =
            ApiException.tooLarge("the request body is larger than " + MAX_BODY + " bytes");
        json(request.response(), tooLarge.code, tooLarge.statusJson());
        return;
      }
      request
          .body()
          .onSuccess(
              buffer ->
                  work.execute(
                      () -> {
                        RestApi.Response response =
                            rest.serve(
                                new RestApi.Request(
                                    base.method(),
                                    base.path(),
                                    base.query(),
                                    base.contentType(),
                                    base.accept(),
                                    buffer.getBytes()));
                        context.runOnContext(
                            v -> json(request.response(), response.status(), response.body()));
                      }))
          .onFailure(e -> log.debug("reading a request body failed: {}", e.toString()));
      request.resume();
    }

    private void startWatch(RestApi.Request watch, ConnectionWatchSink sink) {
      String timeout = watch.param("timeoutSeconds");
      if (timeout.matches("\\d{1,6}") && Long.parseLong(timeout) > 0) {
        vertx.setTimer(Long.parseLong(timeout) * 1000, id -> sink.close());
      }
      work.execute(
          () -> {
            try {
              rest.watch(watch, sink);
            } catch (ApiException e) {
              sink.fail(e.code, e.statusJson());
            } catch (EtcdKv.UnavailableException e) {
              ApiException failure = ApiException.storageUnavailable(e.getMessage());
              sink.fail(failure.code, failure.statusJson());
            } catch (RuntimeException e) {
              log.warn("watch {} failed", watch.path(), e);
            } finally {
              sink.close();
            }
          });
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

  private static Optional<String> bearer(String authorization) {
    if (authorization == null) {
      return Optional.empty();
    }
    String[] parts = authorization.trim().split("\\s+", 2);
    return parts.length == 2 && parts[0].toLowerCase(Locale.ROOT).equals("bearer")
        ? Optional.of(parts[1].trim())
        : Optional.empty();
  }

  private static void unauthorized(HttpServerResponse response) {
    ApiException e = ApiException.unauthorized();
    json(response, e.code, e.statusJson());
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
    if (response.ended() || response.closed()) {
      return;
    }
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
