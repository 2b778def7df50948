package dev.kubeboot.runner.network;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs a network configuration list for one container as the spec's runtime does (what libcni does
 * for the kubelet and containerd): ADD runs the plugins in order, each getting the previous one's
 * result as {@code prevResult}; CHECK runs them in order with the final result; DEL runs them in
 * reverse with the final result. Capabilities a plugin declares ({@code "capabilities":
 * {"portMappings": true}}) receive the runtime's values in {@code runtimeConfig}.
 */
public final class CniNetwork {
  /** The network the runtime sets the loopback interface up with, before the pod network. */
  static final Map<String, Object> LOOPBACK =
      Map.of("cniVersion", "0.3.1", "name", "cni-loopback", "type", "loopback");

  private final CniPlugins plugins;

  public CniNetwork(CniPlugins plugins) {
    this.plugins = Objects.requireNonNull(plugins, "plugins");
  }

  public CniPlugins plugins() {
    return plugins;
  }

  /**
   * One container's attachment as the plugins see it.
   *
   * @param capabilities runtime values by capability name ({@code portMappings} -> list of maps)
   */
  public record Runtime(CniPlugins.Call call, Map<String, Object> capabilities) {
    public Runtime {
      Objects.requireNonNull(call, "call");
      capabilities = Map.copyOf(capabilities);
    }
  }

  /** Brings the container's loopback interface up (the loopback plugin's ADD). */
  public void addLoopback(CniPlugins.Call call) throws CniException, InterruptedException {
    plugins.exec("loopback", "ADD", loopbackCall(call), LOOPBACK);
  }

  /** Undoes {@link #addLoopback}; nothing to do once the namespace is gone. */
  public void delLoopback(CniPlugins.Call call) throws CniException, InterruptedException {
    plugins.exec("loopback", "DEL", loopbackCall(call), LOOPBACK);
  }

  private static CniPlugins.Call loopbackCall(CniPlugins.Call call) {
    return new CniPlugins.Call(call.containerId(), call.netns(), "lo", call.args());
  }

  /**
   * ADD: every plugin in order.
   *
   * @return the last plugin's result
   * @throws CniException the first plugin that failed; what the earlier ones made is left for DEL
   */
  public CniResult add(NetworkConfigList net, Runtime runtime)
      throws CniException, InterruptedException {
    CniResult result = null;
    for (Map<String, Object> plugin : net.plugins()) {
      String type = (String) plugin.get("type");
      String out =
          plugins.exec(
              type,
              "ADD",
              runtime.call(),
              config(net, plugin, runtime, Optional.ofNullable(result)));
      result = CniResult.parse(type, out);
    }
    return result;
  }

  /**
   * CHECK: every plugin in order, with the result of ADD. Versions before 0.4.0 have no CHECK:
   * nothing is run.
   *
   * @throws CniException the first plugin that found the attachment broken
   */
  public void check(NetworkConfigList net, Runtime runtime, CniResult result)
      throws CniException, InterruptedException {
    if (!net.supportsCheck()) {
      return;
    }
    for (Map<String, Object> plugin : net.plugins()) {
      plugins.exec(
          (String) plugin.get("type"),
          "CHECK",
          runtime.call(),
          config(net, plugin, runtime, Optional.of(result)));
    }
  }

  /**
   * DEL: every plugin in reverse order, with the result of ADD when there is one (0.4.0 and later).
   * A plugin's failure does not stop the others, so the IP is released even when, say, the port
   * mappings could not be removed; the first failure is thrown at the end.
   */
  public void del(NetworkConfigList net, Runtime runtime, Optional<CniResult> result)
      throws CniException, InterruptedException {
    List<Map<String, Object>> reversed = new ArrayList<>(net.plugins());
    java.util.Collections.reverse(reversed);
    Optional<CniResult> prev = net.supportsCheck() ? result : Optional.empty();
    CniException first = null;
    for (Map<String, Object> plugin : reversed) {
      try {
        plugins.exec(
            (String) plugin.get("type"), "DEL", runtime.call(), config(net, plugin, runtime, prev));
      } catch (CniException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** A plugin's stdin: its own config plus the network's name and version, prevResult, runtime. */
  static Map<String, Object> config(
      NetworkConfigList net,
      Map<String, Object> plugin,
      Runtime runtime,
      Optional<CniResult> prevResult) {
    Map<String, Object> config = new LinkedHashMap<>(plugin);
    config.put("cniVersion", net.cniVersion());
    config.put("name", net.name());
    prevResult.ifPresent(r -> config.put("prevResult", r.raw()));
    Map<String, Object> runtimeConfig = new LinkedHashMap<>();
    runtime
        .capabilities()
        .forEach(
            (capability, value) -> {
              if (NetworkConfigList.hasCapability(plugin, capability)) {
                runtimeConfig.put(capability, value);
              }
            });
    if (!runtimeConfig.isEmpty()) {
      config.put("runtimeConfig", runtimeConfig);
    }
    return config;
  }
}
