package dev.kubeboot.cli.join;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.pki.Pem;
import dev.kubeboot.pki.PkiException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The cluster a discovery kubeconfig names: cluster-info's (one cluster under the empty name, no
 * contexts) or a {@code --discovery-file}'s. The current context's cluster when there is one, else
 * the last cluster listed (kubeadm reads the last entry of the cluster map). Only inline CA data
 * counts: a discovery kubeconfig that points at a CA file on this node would trust whatever that
 * file holds.
 */
final class DiscoveryKubeconfig {
  private DiscoveryKubeconfig() {}

  /**
   * @param source names the kubeconfig in errors (a file, or the cluster-info ConfigMap)
   */
  static DiscoveredCluster parse(String source, String text) throws KubebootException {
    Map<String, Object> doc;
    try {
      doc = map(new Yaml(new SafeConstructor(new LoaderOptions())).load(text));
    } catch (ClassCastException | org.yaml.snakeyaml.error.YAMLException e) {
      throw new KubebootException(source + ": not a kubeconfig (" + e.getMessage() + ")", e);
    }
    List<Object> clusters = list(doc.get("clusters"));
    if (clusters.isEmpty()) {
      throw new KubebootException(source + ": the kubeconfig names no cluster");
    }
    String wanted = null;
    Object current = doc.get("current-context");
    for (Object entry : list(doc.get("contexts"))) {
      Map<String, Object> context = map(entry);
      if (current != null && Objects.equals(context.get("name"), current)) {
        wanted = String.valueOf(map(context.get("context")).get("cluster"));
      }
    }
    Map<String, Object> cluster = map(map(clusters.getLast()).get("cluster"));
    if (wanted != null) {
      for (Object entry : clusters) {
        if (wanted.equals(String.valueOf(map(entry).get("name")))) {
          cluster = map(map(entry).get("cluster"));
        }
      }
    }
    Object server = cluster.get("server");
    if (!(server instanceof String url) || !url.startsWith("https://")) {
      throw new KubebootException(
          source + ": the cluster's server is not an https:// URL (got " + server + ")");
    }
    Object data = cluster.get("certificate-authority-data");
    if (!(data instanceof String base64) || base64.isBlank()) {
      throw new KubebootException(source + ": the cluster has no certificate-authority-data");
    }
    String caPem;
    List<X509Certificate> cas;
    try {
      caPem = new String(Base64.getDecoder().decode(base64.strip()), StandardCharsets.UTF_8);
      cas = Pem.decodeCertificates(caPem);
    } catch (IllegalArgumentException | PkiException e) {
      throw new KubebootException(
          source + ": certificate-authority-data is not base64 PEM certificates: " + e.getMessage(),
          e);
    }
    if (cas.isEmpty()) {
      throw new KubebootException(source + ": certificate-authority-data holds no certificate");
    }
    return new DiscoveredCluster(url, caPem, cas);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return o instanceof List<?> l ? (List<Object>) l : List.of();
  }
}
