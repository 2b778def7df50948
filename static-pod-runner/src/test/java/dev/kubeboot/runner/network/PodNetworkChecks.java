package dev.kubeboot.runner.network;

import static dev.kubeboot.runner.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.StaticPodRunner;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.PodPhase;
import dev.kubeboot.runner.status.PodStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the pod-network tests of every runtime (CRI, Docker, host processes) share: the pods they
 * run, the waits for a pod to run or to wait for its network, and the check that a pod's attachment
 * is gone from the node.
 */
public final class PodNetworkChecks {
  /** The Kubernetes docs' "Create static Pods" example, as written there. */
  public static final String STATIC_WEB =
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: static-web
        labels:
          role: myrole
      spec:
        containers:
          - name: web
            image: nginx
            ports:
              - name: web
                containerPort: 80
                protocol: TCP
      """;

  private PodNetworkChecks() {}

  /**
   * A busybox pod (the engines' test image) serving its own name on 8080, ready once it answers
   * there; {@code port} is its one entry under ports, e.g. {@code containerPort: 8080}.
   */
  public static String busyboxServer(String name, String port) {
    return """
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: main
            image: kubeboot.test/busybox:1
            command: ["sh", "-c", "mkdir -p /www && echo %s > /www/index.html && exec httpd -f -p 8080 -h /www"]
            ports:
            - %s
            readinessProbe:
              httpGet: {port: 8080, path: /}
              periodSeconds: 1
        """
        .formatted(name, name, port);
  }

  /**
   * A pod named pod-ip whose container takes its own IP from the downward API as users' manifests
   * do: POD_IP and POD_IPS from {@code status.podIP(s)}, then {@code $(POD_IP)} in a later variable
   * (PEER_URL) and in its args. Its shell writes what it was given to {@code out} as one line (see
   * {@link #podIpLine}), then it sleeps. It is ready once an exec probe finds the same non-empty IP
   * in {@code $(POD_IP)} (expanded by the runner) and in its exec environment. Runs on the host
   * (busybox-static) and in the engines' busybox image alike.
   */
  public static String podIpPod(String out) {
    return """
        apiVersion: v1
        kind: Pod
        metadata:
          name: pod-ip
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: main
            image: kubeboot.test/busybox:1
            command:
            - /bin/busybox
            - sh
            - -c
            - 'echo "$POD_IP|$POD_IPS|$PEER_URL|$1" > %s; exec /bin/busybox sleep 3600'
            - sh
            - $(POD_IP)
            env:
            - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
            - {name: POD_IPS, valueFrom: {fieldRef: {fieldPath: status.podIPs}}}
            - {name: PEER_URL, value: "https://$(POD_IP):2380"}
            readinessProbe:
              exec:
                command: [/bin/busybox, sh, -c, 'test -n "$POD_IP" && test "$POD_IP" = "$(POD_IP)"']
              periodSeconds: 1
        """
        .formatted(out);
  }

  /** The line the container of {@link #podIpPod} writes when it got the IPs the pod shows. */
  public static String podIpLine(PodStatus pod) {
    return pod.podIP()
        + "|"
        + String.join(",", pod.podIPs())
        + "|https://"
        + pod.podIP()
        + ":2380|"
        + pod.podIP()
        + "\n";
  }

  /** A pod named host on the node's network, {@code container} its one container (flow style). */
  public static String hostNetworkPod(String container) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: host}
        spec:
          hostNetwork: true
          terminationGracePeriodSeconds: 1
          containers:
          - %s
        """
        .formatted(container);
  }

  /** kubeboot's pod CIDR for the test bridge, and nothing else set. */
  public static PodNetworkOptions podCidr() {
    return PodNetworkOptions.defaults().withPodCidrs(List.of(Cidr.parse(NodeNetwork.POD_CIDR)));
  }

  /**
   * Waits until the pod {@code name} of node1 runs with all its containers and has an IP; {@code
   * seen} is given each status read on the way (a test keeps the uids it must clean up).
   */
  public static PodStatus awaitRunning(
      StaticPodRunner runner, String name, Duration wait, Consumer<PodStatus> seen) {
    PodKey key = new PodKey("default", name + "-node1");
    PodStatus[] status = new PodStatus[1];
    eventually(
        wait,
        () -> {
          PodStatus s = runner.status().pod(key).orElseThrow();
          seen.accept(s);
          assertThat(s.phase()).isEqualTo(PodPhase.RUNNING);
          assertThat(s.containerStatuses())
              .allMatch(c -> c.state() instanceof ContainerState.Running);
          assertThat(s.podIP()).isNotEmpty();
          status[0] = s;
        });
    return status[0];
  }

  /** Waits until the pod {@code name} of node1 is ready (its probes pass). */
  public static void awaitReady(StaticPodRunner runner, String name, Duration wait) {
    PodKey key = new PodKey("default", name + "-node1");
    eventually(wait, () -> assertThat(runner.status().pod(key).orElseThrow().ready()).isTrue());
  }

  /**
   * Waits until {@code key}'s container {@code container} is pending with reason
   * NetworkPluginNotReady and a message naming each of {@code fragments}; {@code seen} is given
   * each status read on the way.
   */
  public static void awaitNetworkNotReady(
      StaticPodRunner runner,
      PodKey key,
      String container,
      Duration wait,
      Consumer<PodStatus> seen,
      String... fragments) {
    eventually(
        wait,
        () -> {
          PodStatus s = runner.status().pod(key).orElseThrow();
          seen.accept(s);
          assertThat(s.phase()).isEqualTo(PodPhase.PENDING);
          var waiting = (ContainerState.Waiting) s.container(container).orElseThrow().state();
          assertThat(waiting.reason()).isEqualTo("NetworkPluginNotReady");
          assertThat(waiting.message()).contains(fragments);
        });
  }

  /** The runtime's own id of a container: its status id without the runtime's scheme. */
  public static String containerId(PodStatus pod, String container) {
    String id = pod.container(container).orElseThrow().containerID();
    return id.substring(id.indexOf("://") + "://".length());
  }

  /** No veth left on kubeboot's bridge and no IP left in host-local's store. */
  public static void assertNothingAttached() throws IOException {
    assertThat(NodeNetwork.vethsOnBridge()).as("veths left on the bridge").isEmpty();
    assertThat(NodeNetwork.allocatedIps()).as("IPs left in host-local's store").isEmpty();
  }
}
