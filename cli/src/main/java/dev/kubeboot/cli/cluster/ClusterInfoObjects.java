package dev.kubeboot.cli.cluster;

import dev.kubeboot.cli.config.GoYaml;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code kube-public/cluster-info}, what a joining node reads before it trusts anything
 * (phases/bootstraptoken/clusterinfo): the admin kubeconfig's cluster (server and CA) under the
 * empty cluster name and nothing else, readable by anonymous users. kube-controller-manager's
 * bootstrapsigner adds a {@code jws-kubeconfig-<token id>} signature per signing token.
 */
public final class ClusterInfoObjects {
  public static final String NAMESPACE = "kube-public";
  public static final String NAME = "cluster-info";
  public static final String KUBECONFIG_KEY = "kubeconfig";
  public static final String JWS_PREFIX = "jws-kubeconfig-";
  public static final String ROLE = "kubeadm:bootstrap-signer-clusterinfo";

  private ClusterInfoObjects() {}

  /**
   * The kubeconfig as client-go's clientcmd.Write lays it out: one cluster named {@code ""} with
   * the CA data and server, {@code contexts: null}, {@code users: null}.
   */
  public static String kubeconfig(String server, String caPem) {
    Map<String, Object> cluster = new TreeMap<>();
    cluster.put(
        "certificate-authority-data",
        Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8)));
    cluster.put("server", server);
    Map<String, Object> named = new LinkedHashMap<>();
    named.put("cluster", cluster);
    named.put("name", "");
    Map<String, Object> doc = new TreeMap<>();
    doc.put("apiVersion", "v1");
    doc.put("clusters", List.of(named));
    doc.put("contexts", null);
    doc.put("current-context", "");
    doc.put("kind", "Config");
    doc.put("preferences", Map.of());
    doc.put("users", null);
    return GoYaml.dump(doc);
  }

  public static ConfigMap configMap(String kubeconfig) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(NAME)
        .withNamespace(NAMESPACE)
        .endMetadata()
        .withData(Map.of(KUBECONFIG_KEY, kubeconfig))
        .build();
  }

  /**
   * The kubeconfig replaced; the signatures kept while they still sign it (same kubeconfig), so
   * that a rerun does not leave joining nodes without a signature until the signer comes by.
   */
  public static ConfigMap merge(ConfigMap current, ConfigMap desired) {
    String wanted = desired.getData().get(KUBECONFIG_KEY);
    Map<String, String> data = new LinkedHashMap<>();
    Map<String, String> old = current.getData() == null ? Map.of() : current.getData();
    if (wanted.equals(old.get(KUBECONFIG_KEY))) {
      old.forEach(
          (k, v) -> {
            if (k.startsWith(JWS_PREFIX)) {
              data.put(k, v);
            }
          });
    }
    data.put(KUBECONFIG_KEY, wanted);
    return new ConfigMapBuilder(current).withData(data).build();
  }

  /** Role {@code kubeadm:bootstrap-signer-clusterinfo}: get configmaps [cluster-info]. */
  public static Role role() {
    return Rbac.getRole(NAMESPACE, ROLE, "configmaps", NAME);
  }

  /** Anyone may read it: subject User {@code system:anonymous}. */
  public static RoleBinding roleBinding() {
    return Rbac.roleBinding(
        NAMESPACE, ROLE, new ArrayList<>(List.of(Rbac.user("system:anonymous"))));
  }
}
