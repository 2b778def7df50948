package dev.kubeboot.runner.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NodeSystemTest {
  @Test
  void osImageAndMemoryAreReadAsTheKubeletReadsThem() {
    assertThat(
            NodeSystem.prettyName(
                "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n"))
        .contains("Debian GNU/Linux 12 (bookworm)");
    assertThat(NodeSystem.prettyName("ID=alpine\n")).isEmpty();
    assertThat(NodeSystem.memTotal("MemTotal:       24605236 kB\nMemFree: 1 kB\n"))
        .contains(24605236L * 1024);
  }

  @Test
  void thisHostIsDescribed() {
    NodeSystem host = NodeSystem.ofHost("v1.0.0", "host-process://linux-6");
    assertThat(host.osImage()).isNotBlank().isNotEqualTo("Unknown");
    assertThat(host.kernelVersion()).isNotBlank();
    assertThat(host.cpus()).isPositive();
    assertThat(host.memoryBytes()).isPositive();
  }

  @Test
  void aHeartbeatKeepsTransitionTimesAndRefreshesHeartbeatTimes() {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    MirrorSettings settings =
        MirrorSettings.of("node1", "10.0.0.5", Clock.systemUTC())
            .withSystem(new NodeSystem("v1", "containerd://1.6.20", "OS", "6.1", 2, 4L << 30));
    Node node = new NodeBuilder().withNewMetadata().withName("node1").endMetadata().build();
    Node first =
        new NodeBuilder(node).withStatus(NodeObjects.heartbeat(node, settings, t0)).build();
    Node second =
        new NodeBuilder(first)
            .withStatus(NodeObjects.heartbeat(first, settings, t0.plusSeconds(10)))
            .build();
    for (NodeCondition c : second.getStatus().getConditions()) {
      assertThat(c.getLastTransitionTime()).as(c.getType()).isEqualTo("2026-01-01T00:00:00Z");
      assertThat(c.getLastHeartbeatTime()).as(c.getType()).isEqualTo("2026-01-01T00:00:10Z");
    }
    assertThat(second.getStatus().getNodeInfo().getContainerRuntimeVersion())
        .isEqualTo("containerd://1.6.20");
    assertThat(second.getStatus().getAddresses())
        .extracting(a -> a.getType() + "=" + a.getAddress())
        .containsExactly("InternalIP=10.0.0.5", "Hostname=node1");
  }
}
