package dev.kubeboot.testing.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.testing.e2e.E2eSupport.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The multi-node harness itself: nodes reach each other and the load balancer's address over the
 * bridge, the host's network never gets those addresses, closing kills what runs in the namespaces
 * and removes them, and a killed earlier run's leftovers are cleared at the next start.
 */
class NetnsClusterIT {
  private static final Duration SHORT = Duration.ofSeconds(20);

  @Test
  void nodesTalkOverTheBridgeAndTheHostStaysUntouched() throws Exception {
    try (var cluster = NetnsCluster.create(Files.createTempDirectory("kubeboot-netns"), 2, 7)) {
      NetnsNode n1 = cluster.node(1);
      NetnsNode n2 = cluster.node(2);
      assertThat(n1.address()).isEqualTo("10.213.7.11");
      assertThat(cluster.lbAddress()).isEqualTo("10.213.7.1");
      for (String target : new String[] {n2.address(), cluster.lbAddress()}) {
        Result ping = n1.exec(SHORT, "busybox", "ping", "-c", "1", "-W", "5", target);
        assertThat(ping.code()).as(target + ": " + ping.out()).isZero();
      }
      Result loopback = n2.exec(SHORT, "ip", "-o", "addr", "show", "dev", "lo", "up");
      assertThat(loopback.out()).contains("127.0.0.1/8");
      Result host = E2eSupport.run(SHORT, Map.of(), "ip", "-o", "addr");
      assertThat(host.out()).doesNotContain("10.213.7.");
    }
  }

  @Test
  void closeKillsEveryProcessOfTheNamespacesAndDeletesThem() throws Exception {
    Path work = Files.createTempDirectory("kubeboot-netns");
    var cluster = NetnsCluster.create(work, 1, 8);
    NetnsNode node = cluster.node(1);
    Process sleeper =
        new ProcessBuilder("ip", "netns", "exec", node.namespace(), "sleep", "600").start();
    E2eSupport.waitFor(
        "the sleeper in " + node.namespace(),
        SHORT,
        () -> !NetnsCluster.pids(node.namespace()).isEmpty());

    var inside = NetnsCluster.pids(node.namespace());

    cluster.close();

    assertThat(sleeper.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(inside).contains(sleeper.pid());
    assertThat(inside).allMatch(pid -> ProcessHandle.of(pid).isEmpty());
    assertThat(Path.of("/run/netns", node.namespace())).doesNotExist();
    assertThat(Path.of("/run/netns", cluster.lbNamespace())).doesNotExist();
    assertThat(work).doesNotExist();
  }

  @Test
  void aKilledRunsLeftoversAreRemovedAtTheNextStart() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    String leftover = NetnsCluster.PREFIX + gone.pid() + "-9-n1";
    assertThat(E2eSupport.run(SHORT, Map.of(), "ip", "netns", "add", leftover).code()).isZero();
    Process orphan = new ProcessBuilder("ip", "netns", "exec", leftover, "sleep", "600").start();
    E2eSupport.waitFor(
        "the orphan in " + leftover, SHORT, () -> !NetnsCluster.pids(leftover).isEmpty());
    // Another live run's namespaces are not ours to remove.
    String alive = NetnsCluster.PREFIX + ProcessHandle.current().pid() + "-9-n1";
    assertThat(E2eSupport.run(SHORT, Map.of(), "ip", "netns", "add", alive).code()).isZero();
    try {
      try (var cluster = NetnsCluster.create(Files.createTempDirectory("kubeboot-netns"), 1, 6)) {
        assertThat(Path.of("/run/netns", leftover)).doesNotExist();
        assertThat(orphan.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.of(orphan.pid())).isEmpty();
        assertThat(Path.of("/run/netns", alive)).exists();
      }
    } finally {
      E2eSupport.run(SHORT, Map.of(), "ip", "netns", "del", alive);
      E2eSupport.run(SHORT, Map.of(), "ip", "netns", "del", leftover);
    }
  }
}
