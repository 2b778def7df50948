package dev.kubeboot.testing;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * Starts a Vert.x HTTPS server. With a client CA the TLS handshake asks for a client certificate
 * and verifies one when given, but lets a client without one in (Go's {@code
 * VerifyClientCertIfGiven}, what kube-apiserver uses): the handler decides what anonymous callers
 * may see.
 */
final class HttpsListener {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private HttpsListener() {}

  static HttpServer start(
      Vertx vertx,
      String host,
      int port,
      X509KeyManager serving,
      Optional<X509TrustManager> clientCa,
      Handler<HttpServerRequest> handler)
      throws InterruptedException {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(host)
            .setPort(port)
            .setSsl(true)
            .setKeyCertOptions(KeyCertOptions.wrap(serving));
    clientCa.ifPresent(
        ca -> options.setTrustOptions(TrustOptions.wrap(ca)).setClientAuth(ClientAuth.REQUEST));
    try {
      return vertx
          .createHttpServer(options)
          .requestHandler(handler)
          .listen()
          .toCompletionStage()
          .toCompletableFuture()
          .get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new StandInConfigException(
          "cannot serve HTTPS on "
              + host
              + ":"
              + port
              + ": "
              + e.getCause().getMessage()
              + " (is another process using the port? pick another with --secure-port)",
          e.getCause());
    } catch (TimeoutException e) {
      throw new StandInConfigException(
          "HTTPS on " + host + ":" + port + " did not start within " + START_TIMEOUT, e);
    }
  }
}
