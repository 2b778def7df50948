package dev.kubeboot.runner.runtime.cri;

import static dev.kubeboot.runner.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.RunnerConfig;
import dev.kubeboot.runner.StaticPodRunner;
import dev.kubeboot.runner.manifest.DirectoryManifestSource;
import dev.kubeboot.runner.manifest.ManifestDecoder;
import dev.kubeboot.runner.network.BridgeNetwork;
import dev.kubeboot.runner.network.Cidr;
import dev.kubeboot.runner.network.NodeNetwork;
import dev.kubeboot.runner.network.PodDns;
import dev.kubeboot.runner.network.PodNetworkOptions;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.probe.DefaultProber;
import dev.kubeboot.runner.runtime.cri.v1.Cri;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.PodPhase;
import dev.kubeboot.runner.status.PodStatus;
import dev.kubeboot.runner.worker.Sleeper;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

  /** The Kubernetes docs' "Create static Pods" example, as written there. */
  static final String STATIC_WEB =
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
      assertThat(NodeNetwork.vethsOnBridge()).as("veths left on the bridge").isEmpty();
      assertThat(NodeNetwork.allocatedIps()).as("IPs left in host-local's store").isEmpty();
    } finally {
      Files.deleteIfExists(cni.confDir().resolve(BridgeNetwork.FILE_NAME));
      if (node != null) {
        node.close();
      }
    }
  }

  private StaticPodRunner startRunner(PodNetworkOptions network) throws Exception {
    RunnerConfig config =
        RunnerConfig.of(dir.resolve("manifests"), "node1", nodeIp, dir.resolve("state"))
            .withStatusAddress(new InetSocketAddress("127.0.0.1", 0));
    CriContainerRuntime runtime =
        new CriContainerRuntime(
            CriRuntimeOptions.of(config.stateDir())
                .withEndpoint(CriEngine.ENDPOINT)
                .withPodLogsDir(dir.resolve("pods"))
                .withNetwork(network));
    return StaticPodRunner.start(
        config,
        runtime,
        new DirectoryManifestSource(
            config.manifestPath(), config.nodeName(), config.fileCheckFrequency(), config.clock()),
        new DefaultProber(runtime, config.nodeIP(), "1.34"),
        Sleeper.of(config.clock()));
  }

  private static PodNetworkOptions podCidr() {
    return PodNetworkOptions.defaults().withPodCidrs(List.of(Cidr.parse(NodeNetwork.POD_CIDR)));
  }

  private void writeManifest(String file, String content) throws Exception {
    Path manifests = Files.createDirectories(dir.resolve("manifests"));
    Path temp = manifests.resolve("." + file + ".tmp");
    Files.writeString(temp, content);
    Files.move(temp, manifests.resolve(file), StandardCopyOption.ATOMIC_MOVE);
  }

  private PodStatus awaitRunning(String name) {
    PodKey key = new PodKey("default", name + "-node1");
    PodStatus[] status = new PodStatus[1];
    eventually(
        WAIT,
        () -> {
          PodStatus s = runner.status().pod(key).orElseThrow();
          assertThat(s.phase()).isEqualTo(PodPhase.RUNNING);
          assertThat(s.containerStatuses())
              .allMatch(c -> c.state() instanceof ContainerState.Running);
          assertThat(s.podIP()).isNotEmpty();
          status[0] = s;
        });
    if (!uids.contains(status[0].uid())) {
      uids.add(status[0].uid());
    }
    return status[0];
  }

  private static String containerId(PodStatus pod, String container) {
    return pod.container(container).orElseThrow().containerID().substring("cri://".length());
  }

  static String server(String name, String ports) {
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
        .formatted(name, name, ports);
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
    writeManifest("a.yaml", server("a", "containerPort: 8080"));
    writeManifest("b.yaml", server("b", "{containerPort: 8080, hostPort: 18080}"));

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
  void removingAPodFreesItsIpAndVethAndARestartAdoptsTheOthers() throws Exception {
    runner = startRunner(podCidr());
    writeManifest("a.yaml", server("a", "containerPort: 8080"));
    writeManifest("b.yaml", server("b", "{containerPort: 8080, hostPort: 18080}"));
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

    PodKey web = new PodKey("default", "static-web-node1");
    eventually(
        WAIT,
        () -> {
          PodStatus s = runner.status().pod(web).orElseThrow();
          assertThat(s.phase()).isEqualTo(PodPhase.PENDING);
          var waiting = (ContainerState.Waiting) s.container("web").orElseThrow().state();
          assertThat(waiting.reason()).isEqualTo("NetworkPluginNotReady");
          assertThat(waiting.message())
              .contains("NetworkReady=false")
              .contains("--pod-cidr")
              .contains(cni.confDir().toString());
        });
  }
}
