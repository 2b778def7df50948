package dev.kubeboot.cli.cluster;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.pki.Pem;
import dev.kubeboot.pki.PkiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The cluster of a kubeconfig's current context: its API server URL and CA certificates (PEM, from
 * {@code certificate-authority-data} or the {@code certificate-authority} file), as kubeadm reads
 * them for cluster-info and the join command.
 */
public record KubeconfigCluster(Path file, String server, String caPem) {
  public KubeconfigCluster {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(caPem, "caPem");
  }

  public static KubeconfigCluster read(Path file) throws KubebootException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new KubebootException(
          "cannot read the kubeconfig "
              + file
              + ": "
              + e.getMessage()
              + "; run init's kubeconfig phase or name one with --kubeconfig",
          e);
    }
    return parse(file, text);
  }

  /** The cluster of a kubeconfig's text; {@code file} names it in errors. */
  public static KubeconfigCluster parse(Path file, String text) throws KubebootException {
    try {
      Map<String, Object> doc = map(new Yaml(new SafeConstructor(new LoaderOptions())).load(text));
      Object current = doc.get("current-context");
      String clusterName = null;
      for (Object entry : list(doc.get("contexts"))) {
        Map<String, Object> context = map(entry);
        if (Objects.equals(context.get("name"), current)) {
          clusterName = String.valueOf(map(context.get("context")).get("cluster"));
        }
      }
      if (clusterName == null) {
        throw new KubebootException(
            file + ": no context named by current-context \"" + current + "\"");
      }
      for (Object entry : list(doc.get("clusters"))) {
        Map<String, Object> named = map(entry);
        if (clusterName.equals(String.valueOf(named.get("name")))) {
          Map<String, Object> cluster = map(named.get("cluster"));
          return new KubeconfigCluster(
              file, required(file, cluster, "server"), caPem(file, cluster));
        }
      }
      throw new KubebootException(file + ": no cluster named \"" + clusterName + "\"");
    } catch (ClassCastException | org.yaml.snakeyaml.error.YAMLException e) {
      throw new KubebootException(file + ": not a kubeconfig file (" + e.getMessage() + ")", e);
    }
  }

  /** The CA certificates the file trusts, in file order. */
  public List<X509Certificate> caCertificates() throws KubebootException {
    try {
      List<X509Certificate> certificates = Pem.decodeCertificates(caPem);
      if (certificates.isEmpty()) {
        throw new KubebootException(file + ": the cluster's CA data holds no certificate");
      }
      return certificates;
    } catch (PkiException e) {
      throw new KubebootException(
          file + ": the cluster's CA data is not PEM certificates: " + e.getMessage(), e);
    }
  }

  /** host:port of the server, as the join command names it (kubeadm strips {@code https://}). */
  public String hostPort() {
    return server.replace("https://", "");
  }

  private static String caPem(Path file, Map<String, Object> cluster) throws KubebootException {
    Object data = cluster.get("certificate-authority-data");
    if (data instanceof String base64 && !base64.isEmpty()) {
      try {
        return new String(Base64.getDecoder().decode(base64.strip()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new KubebootException(
            file + ": certificate-authority-data is not base64: " + e.getMessage(), e);
      }
    }
    Object path = cluster.get("certificate-authority");
    if (path instanceof String caFile && !caFile.isEmpty()) {
      Path resolved = file.toAbsolutePath().getParent().resolve(caFile);
      try {
        return Files.readString(resolved, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new KubebootException(
            file + ": cannot read its certificate-authority " + resolved + ": " + e.getMessage(),
            e);
      }
    }
    throw new KubebootException(
        file + ": the current cluster has no certificate-authority-data or certificate-authority");
  }

  private static String required(Path file, Map<String, Object> map, String key)
      throws KubebootException {
    Object value = map.get(key);
    if (!(value instanceof String s) || s.isEmpty()) {
      throw new KubebootException(file + ": the current cluster has no " + key);
    }
    return s;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o == null ? Map.of() : (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return o == null ? List.of() : (List<Object>) o;
  }
}
