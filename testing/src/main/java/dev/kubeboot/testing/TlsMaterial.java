package dev.kubeboot.testing;

import dev.kubeboot.pki.Pem;
import dev.kubeboot.pki.PkiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/** JSSE key and trust managers from PEM files or PEM text (PKCS#1, PKCS#8 and EC keys). */
final class TlsMaterial {
  private static final char[] IN_MEMORY_PASSWORD = "in-memory".toCharArray();

  private TlsMaterial() {}

  static X509KeyManager keyManager(Path certFile, Path keyFile) {
    List<X509Certificate> chain = certificates(certFile);
    PrivateKey key;
    try {
      key = Pem.decodePrivateKey(read(keyFile));
    } catch (PkiException e) {
      throw new StandInConfigException(keyFile + ": " + e.getMessage(), e);
    }
    return keyManager(chain, key);
  }

  static X509KeyManager keyManager(List<X509Certificate> chain, PrivateKey key) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("key", key, IN_MEMORY_PASSWORD, chain.toArray(X509Certificate[]::new));
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, IN_MEMORY_PASSWORD);
      for (KeyManager manager : factory.getKeyManagers()) {
        if (manager instanceof X509KeyManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("the JDK offered no X.509 key manager");
    } catch (GeneralSecurityException | IOException e) {
      throw new StandInConfigException(
          "cannot use the key for " + chain.getFirst().getSubjectX500Principal() + ": " + e, e);
    }
  }

  static X509TrustManager trustManager(Path caFile) {
    return trustManager(certificates(caFile));
  }

  static X509TrustManager trustManager(List<X509Certificate> authorities) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < authorities.size(); i++) {
        store.setCertificateEntry("ca-" + i, authorities.get(i));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("the JDK offered no X.509 trust manager");
    } catch (GeneralSecurityException | IOException e) {
      throw new StandInConfigException("cannot trust the given CA certificates: " + e, e);
    }
  }

  static SSLContext context(X509KeyManager keys, X509TrustManager trust) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {keys}, new TrustManager[] {trust}, new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot make a TLS context: " + e, e);
    }
  }

  static List<X509Certificate> certificates(Path file) {
    try {
      List<X509Certificate> certificates = Pem.decodeCertificates(read(file));
      if (certificates.isEmpty()) {
        throw new StandInConfigException(file + ": no CERTIFICATE block in the file");
      }
      return certificates;
    } catch (PkiException e) {
      throw new StandInConfigException(file + ": " + e.getMessage(), e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new StandInConfigException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
