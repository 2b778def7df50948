package dev.kubeboot.runner.runtime.cri;

import static dev.kubeboot.runner.Eventually.eventually;
import static dev.kubeboot.runner.network.PodNetworkChecks.STATIC_WEB;
import static dev.kubeboot.runner.network.PodNetworkChecks.busyboxServer;
import static dev.kubeboot.runner.network.PodNetworkChecks.containerId;
import static dev.kubeboot.runner.network.PodNetworkChecks.podCidr;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.ManifestFiles;
import dev.kubeboot.runner.RunnerConfig;
import dev.kubeboot.runner.StaticPodRunner;
import dev.kubeboot.runner.manifest.ManifestDecoder;
import dev.kubeboot.runner.network.BridgeNetwork;
import dev.kubeboot.runner.network.Cidr;
import dev.kubeboot.runner.network.NodeNetwork;
import dev.kubeboot.runner.network.PodDns;
import dev.kubeboot.runner.network.PodNetworkChecks;
import dev.kubeboot.runner.network.PodNetworkOptions;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.runtime.EngineRunners;
import dev.kubeboot.runner.runtime.cri.v1.Cri;
import dev.kubeboot.runner.status.PodStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pods with their own network on the CRI runtime: containerd runs the CNI plugins from the config
 * kubeboot writes into its CNI conf dir; the pod IP comes from PodSandboxStatus.
 */
@Timeout(180)
class CriPodNetworkIT {
  private static final Duration WAIT = Duration.ofSeconds(40);

  private static CriPodNetwork.RuntimeCni cni;

  @TempDir Path dir;
  private NodeNetwork node;
  private String nodeIp;
  private StaticPodRunner runner;
  private final List<String> uids = new ArrayList<>();

  @BeforeAll
  static void containerd() {
    CriEngine.requireContainerd();
    cni = CriEngine.cni();
    assertThat(cni.binDirs())
        .as(
            "the CNI bin dir of the containerd at "
                + CriEngine.ENDPOINT
                + ": restart it with the config of "
                + CriEngine.SCRIPT)
        .contains(Path.of("/usr/lib/cni"));
  }

  @BeforeEach
  void node() throws Exception {
    node = new NodeNetwork();
    nodeIp = node.nodeIp();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (runner != null) {
        runner.shutdown(true);
      }
      CriEngine.removePods(uids);
      PodNetworkChecks.assertNothingAttached();
    } finally {
      Files.deleteIfExists(cni.confDir().resolve(BridgeNetwork.FILE_NAME));
      if (node != null) {
        node.close();
      }
    }
  }

  private StaticPodRunner startRunner(PodNetworkOptions network) throws Exception {
    RunnerConfig config = EngineRunners.config(dir, nodeIp);
    return EngineRunners.start(
        config,
        new CriContainerRuntime(
            CriRuntimeOptions.of(config.stateDir())
                .withEndpoint(CriEngine.ENDPOINT)
                .withPodLogsDir(dir.resolve("pods"))
                .withNetwork(network)));
  }

  private void writeManifest(String file, String content) throws Exception {
    ManifestFiles.write(dir.resolve("manifests"), file, content);
  }

  private PodStatus awaitRunning(String name) {
    return PodNetworkChecks.awaitRunning(
        runner,
        name,
        WAIT,
        s -> {
          if (!uids.contains(s.uid())) {
            uids.add(s.uid());
          }
        });
  }

  @Test
  void theDocsStaticWebPodRunsUnchangedAndAnswersOnItsPodIp() throws Exception {
    runner = startRunner(podCidr());
    writeManifest("static-web.yaml", STATIC_WEB);

    PodStatus pod = awaitRunning("static-web");

    assertThat(Cidr.parse(NodeNetwork.POD_CIDR).contains(Cidr.ip(pod.podIP()).orElseThrow()))
        .isTrue();
    assertThat(pod.hostIP()).isEqualTo(nodeIp);
    assertThat(NodeNetwork.httpStatus("http://" + pod.podIP() + "/")).isEqualTo(200);
    assertThat(NodeNetwork.allocatedIps()).containsExactly(pod.podIP());
    assertThat(Files.readString(cni.confDir().resolve(BridgeNetwork.FILE_NAME)))
        .contains(NodeNetwork.POD_CIDR);

    String web = containerId(pod, "web");
    assertThat(CriEngine.exec(web, "cat", "/etc/hosts"))
        .startsWith("# Kubernetes-managed hosts file.\n")
        .contains(pod.podIP() + "\tstatic-web-node1\n");
    assertThat(CriEngine.exec(web, "hostname").strip()).isEqualTo("static-web-node1");
    Path file = dir.resolve("manifests/static-web.yaml");
    String expected =
        PodDns.of(
                new ManifestDecoder(Clock.systemUTC())
                    .decode(Files.readAllBytes(file), file, "node1"),
                Files.readString(Path.of("/etc/resolv.conf")))
            .render();
    assertThat(CriEngine.exec(web, "cat", "/etc/resolv.conf")).isEqualTo(expected);
    Cri.PodSandbox sandbox = CriEngine.sandboxes(pod.uid()).getFirst();
    assertThat(sandbox.getLabelsMap()).containsEntry("role", "myrole");
  }

  @Test
  void twoPodsReachEachOtherAndAHostPortAnswersOnTheNodeIp() throws Exception {
    runner = startRunner(podCidr());
    writeManifest("a.yaml", busyboxServer("a", "containerPort: 8080"));
    writeManifest("b.yaml", busyboxServer("b", "{containerPort: 8080, hostPort: 18080}"));

    PodStatus a = awaitRunning("a");
    PodStatus b = awaitRunning("b");

    assertThat(a.podIP()).isNotEqualTo(b.podIP());
    assertThat(
            CriEngine.exec(
                containerId(a, "main"), "wget", "-qO-", "http://" + b.podIP() + ":8080/"))
        .isEqualTo("b\n");
    assertThat(
            CriEngine.exec(
                containerId(b, "main"), "wget", "-qO-", "http://" + a.podIP() + ":8080/"))
        .isEqualTo("a\n");
    assertThat(NodeNetwork.httpStatus("http://" + nodeIp + ":18080/")).isEqualTo(200);
    eventually(
        WAIT,
        () ->
            assertThat(runner.status().pod(new PodKey("default", "a-node1")).orElseThrow().ready())
                .isTrue());
  }

  @Test
  void theContainerGetsThePodsOwnIpFromStatusPodIp() throws Exception {
    runner = startRunner(podCidr());
    writeManifest("pod-ip.yaml", PodNetworkChecks.podIpPod("/tmp/pod-ip"));

    PodStatus pod = awaitRunning("pod-ip");

    assertThat(pod.podIP()).isNotEqualTo(nodeIp).isNotEmpty();
    String main = containerId(pod, "main");
    eventually(
        WAIT,
        () ->
            assertThat(CriEngine.exec(main, "cat", "/tmp/pod-ip"))
                .isEqualTo(PodNetworkChecks.podIpLine(pod)));
    PodNetworkChecks.awaitReady(runner, "pod-ip", WAIT);
  }

  @Test
  void removingAPodFreesItsIpAndVethAndARestartAdoptsTheOthers() throws Exception {
    runner = startRunner(podCidr());
    writeManifest("a.yaml", busyboxServer("a", "containerPort: 8080"));
    writeManifest("b.yaml", busyboxServer("b", "{containerPort: 8080, hostPort: 18080}"));
    PodStatus a = awaitRunning("a");
    PodStatus b = awaitRunning("b");

    Files.delete(dir.resolve("manifests/b.yaml"));

    eventually(
        WAIT,
        () -> {
          assertThat(NodeNetwork.allocatedIps()).containsExactly(a.podIP());
          assertThat(NodeNetwork.vethsOnBridge()).hasSize(1);
          assertThat(CriEngine.sandboxes(b.uid())).isEmpty();
        });
    assertThat(NodeNetwork.httpStatus("http://" + nodeIp + ":18080/")).isZero();

    runner.close();
    runner = startRunner(podCidr());

    PodStatus after = awaitRunning("a");
    assertThat(after.podIP()).isEqualTo(a.podIP());
    assertThat(containerId(after, "main")).isEqualTo(containerId(a, "main"));
    assertThat(NodeNetwork.httpStatus("http://" + a.podIP() + ":8080/")).isEqualTo(200);

    // A pod removed while no runner runs: the next one removes its sandbox and IP.
    runner.close();
    Files.delete(dir.resolve("manifests/a.yaml"));
    runner = startRunner(podCidr());
    eventually(
        WAIT,
        () -> {
          assertThat(CriEngine.sandboxes(a.uid())).isEmpty();
          assertThat(NodeNetwork.allocatedIps()).isEmpty();
          assertThat(NodeNetwork.vethsOnBridge()).isEmpty();
        });
  }

  @Test
  void withoutAPodCidrOrConfigThePodWaitsWithTheRuntimesReason() throws Exception {
    runner = startRunner(PodNetworkOptions.defaults());
    writeManifest("static-web.yaml", STATIC_WEB);

    PodNetworkChecks.awaitNetworkNotReady(
        runner,
        new PodKey("default", "static-web-node1"),
        "web",
        WAIT,
        s -> {},
        "NetworkReady=false",
        "--pod-cidr",
        cni.confDir().toString());
  }
}
