package dev.kubeboot.runner.mirror;

import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How a {@link MirrorPodSyncer} talks about this node.
 *
 * @param nodeName the Node object's name, also every mirror's {@code spec.nodeName}
 * @param nodeIP the node's InternalIP address
 * @param nodeLabels labels the Node is registered with besides the kubelet's own (hostname, os,
 *     arch)
 * @param nodeTaints taints the Node is registered with
 * @param heartbeat how often the Node's Ready condition is refreshed (the kubelet's
 *     nodeStatusUpdateFrequency, 10 s)
 * @param resync how often every mirror is checked even when no watch event arrived
 * @param retry the first wait after a failed API call; doubled up to {@code resync}
 * @param clock the time source of condition and heartbeat times
 * @param system the Node's nodeInfo and capacity
 * @param leaseDuration the Node Lease's leaseDurationSeconds (the kubelet's 40 s); it is renewed
 *     every {@code heartbeat}
 */
public record MirrorSettings(
    String nodeName,
    String nodeIP,
    Map<String, String> nodeLabels,
    List<NodeTaint> nodeTaints,
    Duration heartbeat,
    Duration resync,
    Duration retry,
    Clock clock,
    NodeSystem system,
    Duration leaseDuration) {
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_RESYNC = Duration.ofSeconds(10);
  public static final Duration DEFAULT_RETRY = Duration.ofMillis(500);

  /** The kubelet's nodeLeaseDurationSeconds. */
  public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(40);

  public MirrorSettings {
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(nodeIP, "nodeIP");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(leaseDuration, "leaseDuration");
    nodeLabels = Collections.unmodifiableMap(new TreeMap<>(nodeLabels));
    nodeTaints = List.copyOf(nodeTaints);
    for (Duration d : new Duration[] {heartbeat, resync, retry}) {
      if (d == null || !d.isPositive()) {
        throw new IllegalArgumentException(
            "mirror settings: heartbeat, resync and retry must be positive durations, got " + d);
      }
    }
  }

  /**
   * The kubelet's timings: heartbeat and resync every 10 s, first retry after 500 ms; no labels or
   * taints besides the kubelet's own.
   */
  public static MirrorSettings of(String nodeName, String nodeIP, Clock clock) {
    return new MirrorSettings(
        nodeName,
        nodeIP,
        Map.of(),
        List.of(),
        DEFAULT_HEARTBEAT,
        DEFAULT_RESYNC,
        DEFAULT_RETRY,
        clock,
        NodeSystem.ofHost("v0.0.0-dev", "unknown://"),
        DEFAULT_LEASE_DURATION);
  }

  /** The same with the Node registered with these labels and taints. */
  public MirrorSettings withNode(Map<String, String> labels, List<NodeTaint> taints) {
    return new MirrorSettings(
        nodeName, nodeIP, labels, taints, heartbeat, resync, retry, clock, system, leaseDuration);
  }

  /** The same with this nodeInfo and capacity. */
  public MirrorSettings withSystem(NodeSystem s) {
    return new MirrorSettings(
        nodeName,
        nodeIP,
        nodeLabels,
        nodeTaints,
        heartbeat,
        resync,
        retry,
        clock,
        s,
        leaseDuration);
  }

  /** The same with another heartbeat and Lease renewal period (tests). */
  public MirrorSettings withHeartbeat(Duration every) {
    return new MirrorSettings(
        nodeName,
        nodeIP,
        nodeLabels,
        nodeTaints,
        every,
        resync,
        retry,
        clock,
        system,
        leaseDuration);
  }
}
