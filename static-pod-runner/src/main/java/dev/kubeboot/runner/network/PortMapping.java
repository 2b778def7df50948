package dev.kubeboot.runner.network;

import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.ContainerPort;
import dev.kubeboot.runner.pod.StaticPod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code hostPort}: traffic to the node on {@code hostPort} goes to the pod's {@code
 * containerPort} (the portmap plugin's {@code portMappings} capability, CRI's PortMapping).
 *
 * @param protocol "TCP", "UDP" or "SCTP"
 * @param hostIP the node address to listen on; empty for all
 */
public record PortMapping(int hostPort, int containerPort, String protocol, String hostIP) {
  public PortMapping {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(hostIP, "hostIP");
  }

  /** The pod's mappings: every container port with a hostPort, in spec order. */
  public static List<PortMapping> of(StaticPod pod) {
    List<PortMapping> mappings = new ArrayList<>();
    for (Container c : pod.spec().containers()) {
      for (ContainerPort p : c.ports()) {
        if (p.hostPort() > 0) {
          mappings.add(new PortMapping(p.hostPort(), p.containerPort(), p.protocol(), p.hostIP()));
        }
      }
    }
    return List.copyOf(mappings);
  }

  /** As the portmap plugin takes it in {@code runtimeConfig.portMappings}. */
  public Map<String, Object> toCni() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("hostPort", hostPort);
    m.put("containerPort", containerPort);
    m.put("protocol", protocol.toLowerCase(Locale.ROOT));
    if (!hostIP.isEmpty()) {
      m.put("hostIP", hostIP);
    }
    return m;
  }
}
