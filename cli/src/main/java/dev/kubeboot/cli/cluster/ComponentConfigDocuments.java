package dev.kubeboot.cli.cluster;

import dev.kubeboot.cli.config.ClusterConfiguration;
import dev.kubeboot.cli.config.ComponentConfigs;
import dev.kubeboot.cli.config.GoYaml;
import dev.kubeboot.pki.Cidrs;
import dev.kubeboot.templates.IpText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The kubelet's and kube-proxy's configuration documents as kubeadm uploads them (kubelet-config
 * and the kube-proxy addon's ConfigMap): kubeadm's defaulted document with the cluster's values, a
 * user's document from the config file laid over it field by field, keys sorted as the Go
 * serializer writes them.
 */
public final class ComponentConfigDocuments {
  private ComponentConfigDocuments() {}

  /** One document and whether the user wrote it (then kubeadm does not sign its ConfigMap). */
  public record Document(String yaml, boolean userSupplied) {}

  /**
   * The KubeletConfiguration: clusterDNS the service subnet's 10th address, clusterDomain the DNS
   * domain, the client CA in the certificates directory.
   */
  public static Document kubelet(ClusterConfiguration cluster, ComponentConfigs user) {
    Map<String, Object> doc = defaults("kubelet-config-defaults.yaml");
    doc.put(
        "clusterDNS",
        List.of(IpText.format(Cidrs.clusterDnsIp(cluster.networking().serviceSubnet()))));
    doc.put("clusterDomain", cluster.networking().dnsDomain());
    child(child(doc, "authentication"), "x509")
        .put("clientCAFile", cluster.certificatesDir() + "/ca.crt");
    return render(doc, user.kubelet());
  }

  /**
   * The KubeProxyConfiguration: bindAddress {@code ::} for an IPv6 advertise address (else {@code
   * 0.0.0.0}), clusterCIDR the pod subnet when there is one.
   */
  public static Document kubeProxy(
      ClusterConfiguration cluster, InetAddress advertiseAddress, ComponentConfigs user) {
    Map<String, Object> doc = defaults("kube-proxy-config-defaults.yaml");
    if (advertiseAddress instanceof Inet6Address) {
      doc.put("bindAddress", "::");
    }
    cluster.networking().podSubnet().ifPresent(subnet -> doc.put("clusterCIDR", subnet));
    return render(doc, user.kubeProxy());
  }

  private static Document render(Map<String, Object> doc, Optional<Map<String, Object>> user) {
    user.ifPresent(u -> overlay(doc, u));
    return new Document(GoYaml.dump(doc), user.isPresent());
  }

  /** The user's fields win; maps are merged key by key, anything else replaced. */
  @SuppressWarnings("unchecked")
  private static void overlay(Map<String, Object> base, Map<String, Object> user) {
    user.forEach(
        (key, value) -> {
          if (value instanceof Map<?, ?> userMap && base.get(key) instanceof Map<?, ?> baseMap) {
            overlay((Map<String, Object>) baseMap, (Map<String, Object>) userMap);
          } else {
            base.put(key, sorted(value));
          }
        });
  }

  private static Map<String, Object> defaults(String resource) {
    try (InputStream in = ComponentConfigDocuments.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      Object doc =
          new Yaml(new SafeConstructor(new LoaderOptions()))
              .load(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) sorted(doc);
      return map;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Maps turned into sorted maps, all the way down. */
  private static Object sorted(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new TreeMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), sorted(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(sorted(v)));
      return out;
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> child(Map<String, Object> map, String key) {
    return (Map<String, Object>) map.computeIfAbsent(key, k -> new TreeMap<String, Object>());
  }
}
