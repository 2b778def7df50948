package dev.kubeboot.templates;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders kubeadm's essential addons (CoreDNS, kube-proxy) as YAML documents, one object each, in
 * the order kubeadm applies them. Templates are parsed once; thread-safe.
 */
public final class AddonManifests {
  private static final String COREDNS = "addons/coredns.yaml.ftl";
  private static final String KUBE_PROXY = "addons/kube-proxy.yaml.ftl";

  private final TemplateEngine engine = new TemplateEngine(List.of(COREDNS, KUBE_PROXY));

  /** ConfigMap, ClusterRole, ClusterRoleBinding, ServiceAccount, Deployment, Service. */
  public List<String> coreDns(CoreDnsAddon addon) {
    return documents(engine.render(COREDNS, Map.of("dns", addon)));
  }

  /** ConfigMap, DaemonSet, ServiceAccount, ClusterRoleBinding, Role, RoleBinding. */
  public List<String> kubeProxy(KubeProxyAddon addon) {
    return documents(engine.render(KUBE_PROXY, Map.of("proxy", addon)));
  }

  private static List<String> documents(String stream) {
    List<String> documents = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : stream.split("\n", -1)) {
      if (line.equals("---")) {
        documents.add(current.toString());
        current.setLength(0);
      } else {
        current.append(line).append('\n');
      }
    }
    String last = current.toString().stripTrailing();
    if (!last.isEmpty()) {
      documents.add(last + "\n");
    }
    return List.copyOf(documents);
  }
}
