package dev.kubeboot.runner.runtime.docker;

import static dev.kubeboot.runner.Eventually.eventually;
import static dev.kubeboot.runner.network.PodNetworkChecks.STATIC_WEB;
import static dev.kubeboot.runner.network.PodNetworkChecks.busyboxServer;
import static dev.kubeboot.runner.network.PodNetworkChecks.containerId;
import static dev.kubeboot.runner.network.PodNetworkChecks.hostNetworkPod;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.kubeboot.runner.ManifestFiles;
import dev.kubeboot.runner.RunnerConfig;
import dev.kubeboot.runner.StaticPodRunner;
import dev.kubeboot.runner.network.Cidr;
import dev.kubeboot.runner.network.NodeNetwork;
import dev.kubeboot.runner.network.PodNetworkChecks;
import dev.kubeboot.runner.network.PodNetworkOptions;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.runtime.EngineRunners;
import dev.kubeboot.runner.status.PodStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pods with their own network on the Docker runtime: a pause sandbox attached to kubeboot's bridge
 * network through the real CNI plugins, with Docker's own FORWARD policy (DROP) in place.
 */
@Timeout(180)
class DockerPodNetworkIT {
  private static final Duration WAIT = Duration.ofSeconds(40);
  static final String PAUSE = "kubeboot.test/pause:1";

  private static DockerClient docker;

  @TempDir Path dir;
  private NodeNetwork node;
  private String nodeIp;
  private StaticPodRunner runner;

  @BeforeAll
  static void engine() {
    docker = DockerEngine.requireEngineAndImages();
    docker.inspectImageCmd(PAUSE).exec();
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
      PodNetworkChecks.assertNothingAttached();
    } finally {
      DockerEngine.removeOwned(docker);
      if (node != null) {
        node.close();
      }
    }
  }

  private StaticPodRunner startRunner(PodNetworkOptions network) throws Exception {
    RunnerConfig config = EngineRunners.config(dir, nodeIp);
    return EngineRunners.start(
        config,
        new DockerContainerRuntime(
            DockerRuntimeOptions.of(config.stateDir())
                .withEndpoint(DockerEngine.endpoint())
                .withPodInfraImage(PAUSE)
                .withNetwork(network)));
  }

  private PodNetworkOptions podCidr() {
    return PodNetworkChecks.podCidr().withConfDir(dir.resolve("no-configs"));
  }

  private void writeManifest(String file, String content) throws Exception {
    ManifestFiles.write(dir.resolve("manifests"), file, content);
  }

  private PodStatus awaitRunning(String name) {
    return PodNetworkChecks.awaitRunning(runner, name, WAIT, s -> {});
  }

  private String exec(String containerId, String... command) throws Exception {
    return NodeNetwork.run(
        java.util.stream.Stream.concat(
                java.util.stream.Stream.of("docker", "exec", containerId),
                List.of(command).stream())
            .toArray(String[]::new));
  }

  @Test
  void theDocsStaticWebPodRunsUnchangedAndAnswersOnItsPodIp() throws Exception {
    runner = startRunner(podCidr());
    writeManifest("static-web.yaml", STATIC_WEB);

    PodStatus pod = awaitRunning("static-web");

    assertThat(Cidr.parse(NodeNetwork.POD_CIDR).contains(Cidr.ip(pod.podIP()).orElseThrow()))
        .isTrue();
    assertThat(pod.podIPs()).containsExactly(pod.podIP());
    assertThat(pod.hostIP()).isEqualTo(nodeIp);
    assertThat(NodeNetwork.httpStatus("http://" + pod.podIP() + "/")).isEqualTo(200);
    assertThat(NodeNetwork.allocatedIps()).containsExactly(pod.podIP());
    assertThat(NodeNetwork.vethsOnBridge()).hasSize(1);

    // dockershim's shape: a pause sandbox, the app container in its namespaces.
    String web = containerId(pod, "web");
    InspectContainerResponse app = docker.inspectContainerCmd(web).exec();
    String sandboxId = app.getConfig().getLabels().get(DockerLabels.SANDBOX_ID);
    assertThat(app.getHostConfig().getNetworkMode()).isEqualTo("container:" + sandboxId);
    InspectContainerResponse sandbox = docker.inspectContainerCmd(sandboxId).exec();
    assertThat(sandbox.getName()).startsWith("/k8s_POD_static-web-node1_default_" + pod.uid());
    assertThat(sandbox.getConfig().getImage()).isEqualTo(PAUSE);
    assertThat(sandbox.getConfig().getLabels())
        .containsEntry(DockerLabels.DOCKER_TYPE, "podsandbox")
        .containsEntry(DockerLabels.CONTAINER_NAME, "POD")
        .containsEntry("role", "myrole");

    // The kubelet's /etc/hosts and the node's resolver settings.
    assertThat(exec(web, "cat", "/etc/hosts"))
        .startsWith("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n")
        .contains(pod.podIP() + "\tstatic-web-node1\n");
    assertThat(exec(web, "hostname").strip()).isEqualTo("static-web-node1");
    assertThat(exec(web, "cat", "/etc/resolv.conf"))
        .isEqualTo(
            dev.kubeboot.runner.network.PodDns.of(
                    runnerPod("static-web"), Files.readString(Path.of("/etc/resolv.conf")))
                .render());
  }

  private dev.kubeboot.runner.pod.StaticPod runnerPod(String name) throws Exception {
    Path file = dir.resolve("manifests").resolve(name + ".yaml");
    return new dev.kubeboot.runner.manifest.ManifestDecoder(java.time.Clock.systemUTC())
        .decode(Files.readAllBytes(file), file, "node1");
  }

  @Test
  void twoPodsGetTwoIpsReachEachOtherAndAreProbedAtTheirIp() throws Exception {
    runner = startRunner(podCidr());
    writeManifest("a.yaml", busyboxServer("a", "containerPort: 8080"));
    writeManifest("b.yaml", busyboxServer("b", "containerPort: 8080"));

    PodStatus a = awaitRunning("a");
    PodStatus b = awaitRunning("b");

    assertThat(a.podIP()).isNotEqualTo(b.podIP());
    assertThat(exec(containerId(a, "main"), "wget", "-qO-", "http://" + b.podIP() + ":8080/"))
        .isEqualTo("b\n");
    assertThat(exec(containerId(b, "main"), "wget", "-qO-", "http://" + a.podIP() + ":8080/"))
        .isEqualTo("a\n");
    // Ready through an httpGet probe without host: only the pod IP answers on 8080.
    eventually(
        WAIT,
        () -> {
          assertThat(runner.status().pod(new PodKey("default", "a-node1")).orElseThrow().ready())
              .isTrue();
        });
    assertThat(NodeNetwork.httpStatus("http://" + nodeIp + ":8080/")).isZero();
    assertThat(NodeNetwork.allocatedIps()).containsExactlyInAnyOrder(a.podIP(), b.podIP());
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
            assertThat(exec(main, "cat", "/tmp/pod-ip"))
                .isEqualTo(PodNetworkChecks.podIpLine(pod)));
    assertThat(docker.inspectContainerCmd(main).exec().getConfig().getEnv())
        .contains("POD_IP=" + pod.podIP(), "PEER_URL=https://" + pod.podIP() + ":2380");
    PodNetworkChecks.awaitReady(runner, "pod-ip", WAIT);
  }

  @Test
  void aHostPortAnswersOnTheNodeIpAndRemovingThePodFreesItsIpAndVeth() throws Exception {
    runner = startRunner(podCidr());
    writeManifest("hp.yaml", busyboxServer("hp", "{containerPort: 8080, hostPort: 18080}"));

    PodStatus pod = awaitRunning("hp");

    assertThat(NodeNetwork.httpStatus("http://" + nodeIp + ":18080/")).isEqualTo(200);
    assertThat(NodeNetwork.iptablesMentions("nat", "--dport 18080")).isTrue();
    String sandbox =
        docker
            .inspectContainerCmd(containerId(pod, "main"))
            .exec()
            .getConfig()
            .getLabels()
            .get(DockerLabels.SANDBOX_ID);

    Files.delete(dir.resolve("manifests/hp.yaml"));

    eventually(WAIT, () -> assertThat(runner.status().pods()).isEmpty());
    eventually(
        WAIT,
        () -> {
          assertThat(NodeNetwork.allocatedIps()).doesNotContain(pod.podIP());
          assertThat(NodeNetwork.vethsOnBridge()).isEmpty();
        });
    assertThat(NodeNetwork.iptablesMentions("nat", "--dport 18080")).isFalse();
    assertThat(NodeNetwork.httpStatus("http://" + nodeIp + ":18080/")).isZero();
    assertThat(docker.listContainersCmd().withShowAll(true).withIdFilter(List.of(sandbox)).exec())
        .isEmpty();
    assertThat(dir.resolve("state/cni/attachments/" + sandbox + ".json")).doesNotExist();
  }

  @Test
  void aRestartedRunnerAdoptsThePodWithItsNetwork() throws Exception {
    runner = startRunner(podCidr());
    writeManifest("a.yaml", busyboxServer("a", "containerPort: 8080"));
    PodStatus before = awaitRunning("a");

    runner.close();
    runner = startRunner(podCidr());

    PodStatus after = awaitRunning("a");
    assertThat(after.podIP()).isEqualTo(before.podIP());
    assertThat(containerId(after, "main")).isEqualTo(containerId(before, "main"));
    assertThat(NodeNetwork.httpStatus("http://" + after.podIP() + ":8080/")).isEqualTo(200);
    assertThat(NodeNetwork.vethsOnBridge()).hasSize(1);
  }

  @Test
  void whatAKilledRunnerLeftOfARemovedPodIsCleanedAtTheNextStart() throws Exception {
    runner = startRunner(podCidr());
    writeManifest("a.yaml", busyboxServer("a", "containerPort: 8080"));
    writeManifest("b.yaml", busyboxServer("b", "containerPort: 8080"));
    PodStatus a = awaitRunning("a");
    PodStatus b = awaitRunning("b");
    String sandboxB =
        docker
            .inspectContainerCmd(containerId(b, "main"))
            .exec()
            .getConfig()
            .getLabels()
            .get(DockerLabels.SANDBOX_ID);
    runner.close();
    // Both pods go while no runner runs; b's sandbox even vanishes with its namespace (IP held).
    Files.delete(dir.resolve("manifests/a.yaml"));
    Files.delete(dir.resolve("manifests/b.yaml"));
    docker.removeContainerCmd(containerId(b, "main")).withForce(true).exec();
    docker.removeContainerCmd(sandboxB).withForce(true).exec();
    assertThat(NodeNetwork.allocatedIps()).contains(a.podIP(), b.podIP());

    runner = startRunner(podCidr());

    eventually(
        WAIT,
        () -> {
          assertThat(NodeNetwork.allocatedIps()).isEmpty();
          assertThat(NodeNetwork.vethsOnBridge()).isEmpty();
          assertThat(
                  docker
                      .listContainersCmd()
                      .withShowAll(true)
                      .withLabelFilter(Map.of(DockerLabels.MANAGED, "true"))
                      .exec())
              .isEmpty();
        });
    assertThat(Files.list(dir.resolve("state/cni/attachments"))).isEmpty();
  }

  @Test
  void withoutAPodNetworkThePodWaitsWithAClearReasonAndHostNetworkPodsRun() throws Exception {
    Path confDir = Files.createDirectories(dir.resolve("net.d"));
    runner = startRunner(PodNetworkOptions.defaults().withConfDir(confDir));
    writeManifest("static-web.yaml", STATIC_WEB);
    writeManifest(
        "host.yaml",
        hostNetworkPod(
            "{name: main, image: \"kubeboot.test/busybox:1\", command: [sleep, \"3600\"]}"));

    awaitRunning("host");
    PodKey web = new PodKey("default", "static-web-node1");
    PodNetworkChecks.awaitNetworkNotReady(
        runner,
        web,
        "web",
        WAIT,
        s -> {},
        "no CNI config in " + confDir,
        "--pod-cidr",
        "networking.podSubnet");
    assertThat(
            docker
                .listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(DockerLabels.POD_NAME, web.name()))
                .exec())
        .isEmpty();
  }

  @Test
  void anInvalidConfigAndMissingPluginsAreNamed() throws Exception {
    Path confDir = Files.createDirectories(dir.resolve("net.d"));
    Files.writeString(
        confDir.resolve("10-mine.conflist"),
        "{\"cniVersion\": \"1.0.0\", \"name\": \"mine\", \"plugins\": [{\"ipam\": {}}]}");
    runner = startRunner(PodNetworkOptions.defaults().withConfDir(confDir));
    writeManifest("static-web.yaml", STATIC_WEB);

    PodKey web = new PodKey("default", "static-web-node1");
    PodNetworkChecks.awaitNetworkNotReady(
        runner,
        web,
        "web",
        WAIT,
        s -> {},
        confDir.resolve("10-mine.conflist").toString(),
        "field plugins[0].type: missing");
    runner.shutdown(true);

    Path emptyBin = Files.createDirectories(dir.resolve("bin"));
    runner = startRunner(podCidr().withBinDirs(List.of(emptyBin)));
    PodNetworkChecks.awaitNetworkNotReady(
        runner,
        web,
        "web",
        WAIT,
        s -> {},
        "CNI plugins bridge, host-local, portmap not found in " + emptyBin,
        "containernetworking-plugins");
  }
}
