package dev.kubeboot.runner.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.ContainerPort;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.PodSpec;
import dev.kubeboot.runner.pod.RestartPolicy;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.runtime.ContainerStartException;
import dev.kubeboot.runner.runtime.EnginePods;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubeboot as the CNI runtime against Debian's real plugins, in network namespaces the test makes:
 * ADD gives an IP on kubeboot's bridge, CHECK passes, DEL releases the IP and the veth, a namespace
 * that is gone is detached without one, and the node's own namespace is never handed to a plugin.
 */
@Timeout(120)
class CniPodNetworkIT {
  @TempDir Path dir;
  private NodeNetwork node;
  private final List<String> namespaces = new ArrayList<>();
  private CniPodNetwork network;

  @BeforeEach
  void setUp() throws Exception {
    node = new NodeNetwork();
    network =
        new CniPodNetwork(
            PodNetworkOptions.defaults()
                .withPodCidrs(List.of(Cidr.parse(NodeNetwork.POD_CIDR)))
                .withConfDir(dir.resolve("net.d")),
            dir.resolve("state"));
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      for (Attachment a : network.attachments()) {
        network.detach(a, true);
      }
      for (String ns : namespaces) {
        NodeNetwork.run("ip", "netns", "del", ns);
      }
      assertThat(NodeNetwork.vethsOnBridge()).isEmpty();
      assertThat(NodeNetwork.allocatedIps()).isEmpty();
    } finally {
      node.close();
    }
  }

  private String netns() throws Exception {
    byte[] b = new byte[4];
    ThreadLocalRandom.current().nextBytes(b);
    String name = "kbtest-" + HexFormat.of().formatHex(b);
    NodeNetwork.run("ip", "netns", "add", name);
    namespaces.add(name);
    return name;
  }

  private static StaticPod pod(String name, List<ContainerPort> ports) {
    Container c = EnginePods.shell("main", "sleep 1");
    Container withPorts =
        new Container(
            c.name(),
            c.image(),
            c.imagePullPolicy(),
            c.command(),
            c.args(),
            c.env(),
            c.workingDir(),
            ports,
            c.volumeMounts(),
            c.livenessProbe(),
            c.readinessProbe(),
            c.startupProbe(),
            c.preStop(),
            c.securityContext(),
            c.resources());
    byte[] uid = new byte[16];
    ThreadLocalRandom.current().nextBytes(uid);
    return new StaticPod(
        new PodKey("default", name),
        HexFormat.of().formatHex(uid),
        Path.of("/etc/kubernetes/manifests/" + name + ".yaml"),
        Map.of(),
        Map.of(),
        new PodSpec(
            List.of(),
            List.of(withPorts),
            RestartPolicy.ALWAYS,
            false,
            Duration.ofSeconds(1),
            List.of()),
        Map.of());
  }

  @Test
  void addGivesAnIpOnTheBridgeCheckPassesAndDelReleasesIt() throws Exception {
    String ns = netns();
    StaticPod pod = pod("web", List.of(new ContainerPort("http", 8080, "TCP", 18081)));

    Attachment a = network.attach(pod, "sandbox-" + ns, "/run/netns/" + ns);

    String ip = a.podIPs().getFirst();
    assertThat(Cidr.parse(NodeNetwork.POD_CIDR).contains(Cidr.ip(ip).orElseThrow())).isTrue();
    assertThat(NodeNetwork.allocatedIps()).containsExactly(ip);
    assertThat(NodeNetwork.vethsOnBridge()).hasSize(1);
    assertThat(NodeNetwork.run("ip", "netns", "exec", ns, "ip", "-o", "addr", "show"))
        .contains("lo ")
        .contains("127.0.0.1/8")
        .contains("eth0")
        .contains(ip + "/24");
    assertThat(NodeNetwork.run("ip", "netns", "exec", ns, "ip", "route"))
        .contains("default via 10.244.0.1");
    assertThat(NodeNetwork.iptablesMentions("nat", "--dport 18081")).isTrue();
    assertThat(NodeNetwork.iptablesMentions("filter", "-A KUBEBOOT-FORWARD -s 10.244.0.0/24"))
        .isTrue();
    assertThat(Files.readString(dir.resolve("state/cni/net.d/00-kubeboot.conflist")))
        .contains("\"cniVersion\" : \"1.0.0\"");

    Attachment recorded = network.find("sandbox-" + ns).orElseThrow();
    assertThat(recorded.podIPs()).containsExactly(ip);

    assertThat(network.detach(recorded, true)).isTrue();

    assertThat(NodeNetwork.allocatedIps()).isEmpty();
    assertThat(NodeNetwork.vethsOnBridge()).isEmpty();
    assertThat(NodeNetwork.iptablesMentions("nat", "--dport 18081")).isFalse();
    assertThat(network.find("sandbox-" + ns)).isEmpty();
    assertThat(NodeNetwork.run("ip", "netns", "exec", ns, "ip", "-o", "link"))
        .doesNotContain("eth0");
  }

  @Test
  void checkPassesOnAnIntactAttachmentAndFailsOnceItsInterfaceIsGone() throws Exception {
    String ns = netns();
    network.attach(pod("checked", List.of()), "sandbox-" + ns, "/run/netns/" + ns);
    Attachment a = network.find("sandbox-" + ns).orElseThrow();

    network.check(a);

    NodeNetwork.run("ip", "netns", "exec", ns, "ip", "link", "del", "eth0");
    assertThatThrownBy(() -> network.check(a))
        .isInstanceOf(CniException.class)
        .hasMessageContaining("CNI plugin bridge CHECK failed");
  }

  @Test
  void aNamespaceThatIsGoneIsDetachedWithoutOneAndTheIpIsReleased() throws Exception {
    String ns = netns();
    Attachment a = network.attach(pod("gone", List.of()), "sandbox-" + ns, "/run/netns/" + ns);
    NodeNetwork.run("ip", "netns", "del", ns);
    namespaces.remove(ns);

    assertThat(network.detach(a, false)).isTrue();

    assertThat(NodeNetwork.allocatedIps()).isEmpty();
    assertThat(NodeNetwork.vethsOnBridge()).isEmpty();
  }

  @Test
  void theNodesOwnNamespaceIsNeverGivenToAPlugin() throws Exception {
    String self = "/proc/" + ProcessHandle.current().pid() + "/ns/net";
    List<String> before = NodeNetwork.vethsOnBridge();

    assertThatThrownBy(() -> network.attach(pod("host", List.of()), "sandbox-host", self))
        .isInstanceOf(ContainerStartException.class)
        .hasMessageContaining("is the node's own");
    assertThat(NodeNetwork.allocatedIps()).isEmpty();
    assertThat(NodeNetwork.vethsOnBridge()).isEqualTo(before);

    // A record whose namespace path has come to name the node's (a reused pid): DEL is given none,
    // so no plugin deletes an "eth0" on the node.
    String ns = netns();
    Attachment a = network.attach(pod("reused", List.of()), "sandbox-" + ns, "/run/netns/" + ns);
    Attachment pointingAtNode =
        new Attachment(
            a.containerId(),
            a.pod(),
            a.podUid(),
            self,
            a.ifName(),
            a.network(),
            a.result(),
            a.portMappings(),
            a.args());
    String nodeEth0 = NodeNetwork.run("ip", "-o", "addr", "show", "dev", "eth0");

    assertThat(network.detach(pointingAtNode, true)).isTrue();

    assertThat(NodeNetwork.allocatedIps()).isEmpty();
    assertThat(NodeNetwork.run("ip", "-o", "addr", "show", "dev", "eth0")).isEqualTo(nodeEth0);
  }
}
