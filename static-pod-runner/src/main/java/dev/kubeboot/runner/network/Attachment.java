package dev.kubeboot.runner.network;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.kubeboot.runner.pod.PodKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One pod sandbox's attachment to the pod network, as recorded on disk before ADD and completed
 * after it: what DEL and CHECK need later, in this or the next runner (the spec wants DEL to get
 * the same config and the ADD result, as libcni's cache keeps them).
 *
 * @param containerId the sandbox's id ({@code CNI_CONTAINERID})
 * @param netns the network namespace's path ({@code CNI_NETNS})
 * @param network the configuration list ADD ran with
 * @param result ADD's result; empty while ADD has not finished
 * @param portMappings the hostPorts given to portmap
 * @param args {@code CNI_ARGS}
 */
public record Attachment(
    String containerId,
    PodKey pod,
    String podUid,
    String netns,
    String ifName,
    NetworkConfigList network,
    Optional<CniResult> result,
    List<PortMapping> portMappings,
    String args) {
  public Attachment {
    Objects.requireNonNull(containerId, "containerId");
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(podUid, "podUid");
    Objects.requireNonNull(netns, "netns");
    Objects.requireNonNull(ifName, "ifName");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(result, "result");
    portMappings = List.copyOf(portMappings);
    Objects.requireNonNull(args, "args");
  }

  public Attachment withResult(CniResult r) {
    return new Attachment(
        containerId, pod, podUid, netns, ifName, network, Optional.of(r), portMappings, args);
  }

  /** This attachment with no namespace: DEL then only releases what lives outside it. */
  public Attachment withoutNetns() {
    return new Attachment(
        containerId, pod, podUid, "", ifName, network, result, portMappings, args);
  }

  /** The plugins' view of this attachment. */
  public CniNetwork.Runtime runtime() {
    return new CniNetwork.Runtime(
        new CniPlugins.Call(containerId, netns, ifName, args),
        Map.of("portMappings", portMappings.stream().map(PortMapping::toCni).toList()));
  }

  /** The pod's IPs from ADD's result, IPv4 first; empty before ADD finished. */
  public List<String> podIPs() {
    return result.map(r -> r.podIPs(ifName)).orElse(List.of());
  }

  String toJson() {
    Map<String, Object> network = new LinkedHashMap<>();
    network.put("cniVersion", this.network.cniVersion());
    network.put("name", this.network.name());
    network.put("plugins", this.network.plugins());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("containerId", containerId);
    m.put("namespace", pod.namespace());
    m.put("pod", pod.name());
    m.put("podUid", podUid);
    m.put("netns", netns);
    m.put("ifName", ifName);
    m.put("networkFile", this.network.source().toString());
    m.put("network", network);
    result.ifPresent(r -> m.put("result", r.raw()));
    List<Map<String, Object>> ports = new ArrayList<>();
    for (PortMapping p : portMappings) {
      ports.add(
          Map.of(
              "hostPort", p.hostPort(),
              "containerPort", p.containerPort(),
              "protocol", p.protocol(),
              "hostIP", p.hostIP()));
    }
    m.put("portMappings", ports);
    m.put("args", args);
    try {
      return JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(m);
    } catch (IOException e) {
      throw new IllegalStateException("maps of strings and numbers always write", e);
    }
  }

  /**
   * Reads a record written by {@link #toJson}.
   *
   * @throws IllegalArgumentException not such a record
   */
  static Attachment parse(String json) {
    try {
      Map<String, Object> m = JSON.std.mapFrom(json);
      NetworkConfigList network =
          NetworkConfigList.parse(
              Path.of(text(m, "networkFile")), JSON.std.asString(m.get("network")));
      Optional<CniResult> result =
          m.get("result") instanceof Map<?, ?> r
              ? Optional.of(CniResult.parse("record", JSON.std.asString(r)))
              : Optional.empty();
      List<PortMapping> ports = new ArrayList<>();
      if (m.get("portMappings") instanceof List<?> list) {
        for (Object o : list) {
          Map<?, ?> p = (Map<?, ?>) o;
          ports.add(
              new PortMapping(
                  ((Number) p.get("hostPort")).intValue(),
                  ((Number) p.get("containerPort")).intValue(),
                  String.valueOf(p.get("protocol")),
                  String.valueOf(p.get("hostIP"))));
        }
      }
      return new Attachment(
          text(m, "containerId"),
          new PodKey(text(m, "namespace"), text(m, "pod")),
          text(m, "podUid"),
          text(m, "netns"),
          text(m, "ifName"),
          network,
          result,
          ports,
          text(m, "args"));
    } catch (IOException | CniConfigException | CniException | RuntimeException e) {
      throw new IllegalArgumentException("not a CNI attachment record: " + e.getMessage(), e);
    }
  }

  private static String text(Map<String, Object> m, String key) {
    if (!(m.get(key) instanceof String s)) {
      throw new IllegalArgumentException("no \"" + key + "\"");
    }
    return s;
  }
}
