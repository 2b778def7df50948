package dev.kubeboot.cli.join;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.kubeboot.pki.Pem;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** A stand-in for a node's API server endpoint: HTTPS on loopback with its apiserver pair. */
final class ApiServerTls {
  private ApiServerTls() {}

  /**
   * An HTTPS server, not yet started, on 127.0.0.1 and a free port, presenting {@code pki}'s
   * apiserver.crt; the caller adds its contexts and starts it.
   */
  static HttpsServer onLoopback(Path pki) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "server",
        Pem.decodePrivateKey(Files.readString(pki.resolve("apiserver.key"))),
        new char[0],
        new X509Certificate[] {
          Pem.decodeCertificate(Files.readString(pki.resolve("apiserver.crt")))
        });
    var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), null, null);
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ssl));
    return server;
  }
}
