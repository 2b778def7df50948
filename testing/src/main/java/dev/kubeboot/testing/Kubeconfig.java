package dev.kubeboot.testing;

import dev.kubeboot.pki.Pem;
import dev.kubeboot.pki.PkiException;
import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * The parts of a kubeconfig a controller-manager or scheduler uses to reach the API server: the
 * current context's server URL and CA, and its user's client certificate and key (inline data or
 * files, as kubeadm and kubectl write them).
 */
record Kubeconfig(
    URI server,
    List<X509Certificate> authorities,
    List<X509Certificate> clientChain,
    PrivateKey clientKey) {

  Kubeconfig {
    authorities = List.copyOf(authorities);
    clientChain = List.copyOf(clientChain);
  }

  static Kubeconfig read(Path file) {
    Config config;
    try {
      config =
          KubeConfigUtils.parseConfigFromString(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new StandInConfigException("cannot read kubeconfig " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new StandInConfigException(
          "kubeconfig " + file + " is not valid YAML: " + e.getMessage(), e);
    }
    String contextName = config.getCurrentContext();
    NamedContext context =
        find(
            config.getContexts(),
            NamedContext::getName,
            contextName,
            file,
            "contexts",
            "current-context");
    NamedCluster cluster =
        find(
            config.getClusters(),
            NamedCluster::getName,
            context.getContext().getCluster(),
            file,
            "clusters",
            "context.cluster");
    NamedAuthInfo user =
        find(
            config.getUsers(),
            NamedAuthInfo::getName,
            context.getContext().getUser(),
            file,
            "users",
            "context.user");
    Cluster c = cluster.getCluster();
    AuthInfo u = user.getUser();
    if (c == null || c.getServer() == null || c.getServer().isBlank()) {
      throw new StandInConfigException(
          file + ": cluster \"" + cluster.getName() + "\" has no server URL");
    }
    try {
      List<X509Certificate> ca =
          c.getCertificateAuthorityData() != null || c.getCertificateAuthority() != null
              ? Pem.decodeCertificates(
                  pem(
                      file,
                      "certificate-authority",
                      c.getCertificateAuthorityData(),
                      c.getCertificateAuthority()))
              : List.of();
      String certPem =
          pem(file, "client-certificate", u.getClientCertificateData(), u.getClientCertificate());
      String keyPem = pem(file, "client-key", u.getClientKeyData(), u.getClientKey());
      return new Kubeconfig(
          URI.create(c.getServer()),
          ca,
          Pem.decodeCertificates(certPem),
          Pem.decodePrivateKey(keyPem));
    } catch (PkiException | IllegalArgumentException e) {
      throw new StandInConfigException(
          file + ": user \"" + user.getName() + "\": " + e.getMessage(), e);
    }
  }

  private static <T> T find(
      List<T> entries,
      Function<T, String> name,
      String wanted,
      Path file,
      String list,
      String field) {
    if (wanted == null || wanted.isBlank()) {
      throw new StandInConfigException(file + ": " + field + " is empty");
    }
    return (entries == null ? List.<T>of() : entries)
        .stream()
            .filter(e -> wanted.equals(name.apply(e)))
            .findFirst()
            .orElseThrow(
                () ->
                    new StandInConfigException(
                        file + ": " + field + " \"" + wanted + "\" is not in " + list));
  }

  private static String pem(Path file, String field, String base64Data, String path) {
    if (base64Data != null && !base64Data.isBlank()) {
      try {
        return new String(Base64.getDecoder().decode(base64Data.trim()), StandardCharsets.US_ASCII);
      } catch (IllegalArgumentException e) {
        throw new StandInConfigException(file + ": " + field + "-data is not base64", e);
      }
    }
    if (path != null && !path.isBlank()) {
      Path resolved = file.toAbsolutePath().getParent().resolve(path);
      try {
        return Files.readString(resolved, StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new StandInConfigException(
            file + ": " + field + " " + resolved + " cannot be read: " + e.getMessage(), e);
      }
    }
    throw new StandInConfigException(
        file
            + ": the user has neither "
            + field
            + "-data nor "
            + field
            + "; the stand-in needs a client certificate");
  }
}
