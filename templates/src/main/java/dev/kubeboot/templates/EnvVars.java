package dev.kubeboot.templates;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Container environments: kubeadm's proxy variables merged with extraEnvs. */
final class EnvVars {

  private EnvVars() {}

  /** The non-empty {@code *_proxy} variables, any case, as kubeadm's GetProxyEnvVars. */
  static List<EnvVar> proxyVariables(Map<String, String> environment) {
    List<EnvVar> proxies = new ArrayList<>();
    environment.forEach(
        (name, value) -> {
          if (name.toLowerCase(Locale.ROOT).endsWith("_proxy")
              && value != null
              && !value.isEmpty()) {
            proxies.add(new EnvVar(name, value));
          }
        });
    return proxies;
  }

  /** Later lists win for the same name; sorted by name (kubeadm's MergeKubeadmEnvVars). */
  @SafeVarargs
  static List<EnvVar> merge(List<EnvVar>... lists) {
    Map<String, EnvVar> byName = new TreeMap<>(Flags.GO_ORDER);
    for (List<EnvVar> list : lists) {
      for (EnvVar e : list) {
        byName.put(e.name(), e);
      }
    }
    return List.copyOf(byName.values());
  }
}
