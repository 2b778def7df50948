package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.pki.Pem;
import dev.kubeboot.pki.PkiException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The client certificate and key embedded in a kubeconfig file (those of the current context's
 * user), and the same file with new ones. Replacing the two base64 values in the text keeps every
 * other byte of the file as it was.
 */
record KubeconfigCredentials(Path file, String text, String certificateData, String keyData) {

  static KubeconfigCredentials parse(Path file, byte[] content) throws KubebootException {
    String text = new String(content, StandardCharsets.UTF_8);
    Map<String, Object> user = currentUser(file, text);
    Object cert = user.get("client-certificate-data");
    Object key = user.get("client-key-data");
    if (!(cert instanceof String c) || !(key instanceof String k)) {
      throw new KubebootException(
          file
              + ": the current context's user has no embedded client-certificate-data and client-key-data; kubeboot only renews certificates embedded in the file");
    }
    return new KubeconfigCredentials(file, text, c, k);
  }

  X509Certificate certificate() throws KubebootException {
    try {
      return Pem.decodeCertificate(
          new String(Base64.getDecoder().decode(certificateData), StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException | PkiException e) {
      throw new KubebootException(
          file
              + ": client-certificate-data is not a base64 PEM certificate ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  String withCredentials(X509Certificate certificate, PrivateKey key) {
    String newCert =
        Base64.getEncoder()
            .encodeToString(Pem.encode(certificate).getBytes(StandardCharsets.US_ASCII));
    String newKey =
        Base64.getEncoder().encodeToString(Pem.encode(key).getBytes(StandardCharsets.US_ASCII));
    return text.replace(certificateData, newCert).replace(keyData, newKey);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> currentUser(Path file, String text) throws KubebootException {
    try {
      var doc = (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
      String contextName = (String) doc.get("current-context");
      String userName = null;
      for (var entry : (List<Map<String, Object>>) doc.get("contexts")) {
        if (entry.get("name").equals(contextName)) {
          userName = (String) ((Map<String, Object>) entry.get("context")).get("user");
        }
      }
      for (var entry : (List<Map<String, Object>>) doc.get("users")) {
        if (entry.get("name").equals(userName)) {
          return (Map<String, Object>) entry.get("user");
        }
      }
      throw new KubebootException(
          file
              + ": no user for the current context \""
              + contextName
              + "\": fix the file or run init's kubeconfig phase again");
    } catch (RuntimeException e) {
      throw new KubebootException(
          file + " is not a kubeconfig file kubeboot can read (" + e + "): fix or remove it", e);
    }
  }
}
