package dev.kubeboot.cli.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The component configurations a user put in the kubeadm config file, as written: a {@code
 * KubeletConfiguration} and a {@code KubeProxyConfiguration}. kubeadm uploads them (over its own
 * defaults) to the kubelet-config and kube-proxy ConfigMaps and then leaves them unsigned, so that
 * upgrades keep them. {@link ConfigReader} has already checked the file; this only picks the two
 * documents out of it.
 */
public record ComponentConfigs(
    Optional<Map<String, Object>> kubelet, Optional<Map<String, Object>> kubeProxy) {
  public static final String KUBELET_API = "kubelet.config.k8s.io/v1beta1";
  public static final String KUBE_PROXY_API = "kubeproxy.config.k8s.io/v1alpha1";

  public ComponentConfigs {
    // Collections.unmodifiableMap, not Map.copyOf: YAML values may be null.
    kubelet = kubelet.map(m -> Collections.unmodifiableMap(new LinkedHashMap<>(m)));
    kubeProxy = kubeProxy.map(m -> Collections.unmodifiableMap(new LinkedHashMap<>(m)));
  }

  public static ComponentConfigs none() {
    return new ComponentConfigs(Optional.empty(), Optional.empty());
  }

  /** The documents of {@code file}; none when there is no file. */
  public static ComponentConfigs read(Path file) {
    if (file == null) {
      return none();
    }
    try {
      Optional<Map<String, Object>> kubelet = Optional.empty();
      Optional<Map<String, Object>> proxy = Optional.empty();
      Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
      for (Object doc : yaml.loadAll(Files.readString(file, StandardCharsets.UTF_8))) {
        if (doc instanceof Map<?, ?> map) {
          @SuppressWarnings("unchecked")
          Map<String, Object> typed = (Map<String, Object>) map;
          Object api = map.get("apiVersion");
          Object kind = map.get("kind");
          if (KUBELET_API.equals(api) && "KubeletConfiguration".equals(kind)) {
            kubelet = Optional.of(typed);
          } else if (KUBE_PROXY_API.equals(api) && "KubeProxyConfiguration".equals(kind)) {
            proxy = Optional.of(typed);
          }
        }
      }
      return new ComponentConfigs(kubelet, proxy);
    } catch (IOException | YAMLException | ClassCastException e) {
      throw new ConfigException(
          "cannot read the component configurations of " + file + ": " + e.getMessage(), e);
    }
  }
}
