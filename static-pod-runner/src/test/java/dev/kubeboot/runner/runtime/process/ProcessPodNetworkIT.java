package dev.kubeboot.runner.runtime.process;

import static dev.kubeboot.runner.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.ManifestFiles;
import dev.kubeboot.runner.RunnerSpec;
import dev.kubeboot.runner.Runners;
import dev.kubeboot.runner.StaticPodRunner;
import dev.kubeboot.runner.network.Cidr;
import dev.kubeboot.runner.network.NodeNetwork;
import dev.kubeboot.runner.network.PodDns;
import dev.kubeboot.runner.network.PodNetworkChecks;
import dev.kubeboot.runner.network.PodNetworkOptions;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.status.PodStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pods with their own network on the process runtime: a named network namespace per pod, attached
 * by the runner with the real CNI plugins, the pod's processes started inside it.
 */
@Timeout(120)
class ProcessPodNetworkIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** The docs' "Create static Pods" pod, with a command: a host has no images. */
  static String staticWeb(Path www) {
    return """
        apiVersion: v1
        kind: Pod
        metadata:
          name: static-web
          labels:
            role: myrole
        spec:
          terminationGracePeriodSeconds: 1
          containers:
            - name: web
              image: nginx
              command: ["/bin/busybox", "httpd", "-f", "-p", "80", "-h", "%s"]
              ports:
                - name: web
                  containerPort: 80
                  protocol: TCP
        """
        .formatted(www);
  }

  @TempDir Path dir;
  private NodeNetwork node;
  private String nodeIp;
  private StaticPodRunner runner;

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
      assertThat(kubebootNamespaces()).as("network namespaces left").isEmpty();
    } finally {
      // A failed test must not leave its namespaces behind for the next.
      for (String ns : kubebootNamespaces()) {
        NodeNetwork.run("ip", "netns", "del", ns);
      }
      node.close();
    }
  }

  /** Only the namespaces of this test's pods: their uids are the hashes of its manifests. */
  private List<String> kubebootNamespaces() throws Exception {
    List<String> uids = ownedUids();
    return NodeNetwork.run("ip", "netns", "list")
        .lines()
        .map(l -> l.split(" ")[0])
        .filter(n -> uids.stream().anyMatch(u -> n.equals(PodNamespaces.name(u))))
        .toList();
  }

  private final java.util.Set<String> seenUids = new java.util.concurrent.ConcurrentSkipListSet<>();

  private List<String> ownedUids() {
    return List.copyOf(seenUids);
  }

  private StaticPodRunner startRunner(PodNetworkOptions network) throws Exception {
    return Runners.start(
        RunnerSpec.builder(dir.resolve("manifests"), "node1", nodeIp, dir.resolve("state"))
            .statusPort(0)
            .runtime("process")
            .network(network)
            .build());
  }

  private PodNetworkOptions podCidr() {
    return PodNetworkChecks.podCidr().withConfDir(dir.resolve("no-configs"));
  }

  private void writeManifest(String file, String content) throws Exception {
    ManifestFiles.write(dir.resolve("manifests"), file, content);
  }

  private Path www(String name) throws Exception {
    Path www = Files.createDirectories(dir.resolve("www-" + name));
    Files.writeString(www.resolve("index.html"), name + "\n");
    return www;
  }

  private PodStatus awaitRunning(String name) {
    return PodNetworkChecks.awaitRunning(runner, name, WAIT, s -> seenUids.add(s.uid()));
  }

  private static long pid(PodStatus pod, String container) {
    return Long.parseLong(PodNetworkChecks.containerId(pod, container));
  }

  private static Object netnsInode(Path nsFile) throws Exception {
    return Files.getAttribute(nsFile, "unix:ino");
  }

  /** Runs a command in the pod's network namespace, as the pod's processes run. */
  private static String inPod(PodStatus pod, String... command) throws Exception {
    return NodeNetwork.run(
        Stream.concat(
                Stream.of("ip", "netns", "exec", PodNamespaces.name(pod.uid())), Stream.of(command))
            .toArray(String[]::new));
  }

  static String server(String name, Path www, String extra) {
    return """
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: main
            image: busybox
            command: ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "%s"]
            ports:
            - containerPort: 8080
        %s
            readinessProbe:
              httpGet: {port: 8080, path: /}
              periodSeconds: 1
        """
        .formatted(name, www, extra.indent(6).stripTrailing());
  }

  @Test
  void theDocsStaticWebPodRunsInItsOwnNamespaceAndAnswersOnItsPodIp() throws Exception {
    runner = startRunner(podCidr());
    writeManifest("static-web.yaml", staticWeb(www("static-web")));

    PodStatus pod = awaitRunning("static-web");

    assertThat(Cidr.parse(NodeNetwork.POD_CIDR).contains(Cidr.ip(pod.podIP()).orElseThrow()))
        .isTrue();
    assertThat(pod.podIPs()).containsExactly(pod.podIP());
    assertThat(pod.hostIP()).isEqualTo(nodeIp);
    assertThat(NodeNetwork.httpStatus("http://" + pod.podIP() + "/")).isEqualTo(200);
    // Port 80 is the pod's own: the node does not answer on it.
    assertThat(NodeNetwork.httpStatus("http://" + nodeIp + "/")).isZero();
    assertThat(NodeNetwork.allocatedIps()).containsExactly(pod.podIP());
    assertThat(NodeNetwork.vethsOnBridge()).hasSize(1);

    // The process runs in the pod's namespace, not the node's.
    long pid = pid(pod, "web");
    Path podNs = Path.of("/run/netns", PodNamespaces.name(pod.uid()));
    assertThat(netnsInode(Path.of("/proc/" + pid + "/ns/net"))).isEqualTo(netnsInode(podNs));
    assertThat(netnsInode(Path.of("/proc/" + pid + "/ns/net")))
        .isNotEqualTo(netnsInode(Path.of("/proc/self/ns/net")));

    // It sees the kubelet's /etc/hosts and the node's resolver settings.
    Path root = Path.of("/proc/" + pid + "/root");
    assertThat(Files.readString(root.resolve("etc/hosts")))
        .startsWith("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n")
        .contains(pod.podIP() + "\tstatic-web-node1\n");
    Path manifest = dir.resolve("manifests/static-web.yaml");
    assertThat(Files.readString(root.resolve("etc/resolv.conf")))
        .isEqualTo(
            PodDns.of(
                    new dev.kubeboot.runner.manifest.ManifestDecoder(java.time.Clock.systemUTC())
                        .decode(Files.readAllBytes(manifest), manifest, "node1"),
                    Files.readString(Path.of("/etc/resolv.conf")))
                .render());
    // The node's own files are untouched.
    assertThat(Files.readString(Path.of("/etc/hosts"))).doesNotContain("Kubernetes-managed");
  }

  @Test
  void twoPodsGetTwoIpsReachEachOtherAndAreProbedAtTheirIp() throws Exception {
    runner = startRunner(podCidr());
    writeManifest("a.yaml", server("a", www("a"), ""));
    writeManifest("b.yaml", server("b", www("b"), ""));

    PodStatus a = awaitRunning("a");
    PodStatus b = awaitRunning("b");

    assertThat(a.podIP()).isNotEqualTo(b.podIP());
    assertThat(inPod(a, "/bin/busybox", "wget", "-qO-", "http://" + b.podIP() + ":8080/"))
        .isEqualTo("b\n");
    assertThat(inPod(b, "/bin/busybox", "wget", "-qO-", "http://" + a.podIP() + ":8080/"))
        .isEqualTo("a\n");
    // Ready through an httpGet probe without host: only the pod IP answers on 8080.
    eventually(
        WAIT,
        () ->
            assertThat(runner.status().pod(new PodKey("default", "a-node1")).orElseThrow().ready())
                .isTrue());
    assertThat(NodeNetwork.httpStatus("http://" + nodeIp + ":8080/")).isZero();
    assertThat(NodeNetwork.allocatedIps()).containsExactlyInAnyOrder(a.podIP(), b.podIP());
  }

  @Test
  void theContainerGetsThePodsOwnIpFromStatusPodIpAlsoAfterARunnerRestart() throws Exception {
    runner = startRunner(podCidr());
    Path out = dir.resolve("pod-ip.out");
    writeManifest("pod-ip.yaml", PodNetworkChecks.podIpPod(out.toString()));

    PodStatus pod = awaitRunning("pod-ip");

    assertThat(pod.podIP()).isNotEqualTo(nodeIp).isNotEmpty();
    eventually(
        WAIT, () -> assertThat(Files.readString(out)).isEqualTo(PodNetworkChecks.podIpLine(pod)));
    // The kernel's copy of the running process's environment.
    assertThat(environ(pid(pod, "main")))
        .contains("POD_IP=" + pod.podIP(), "POD_IPS=" + String.join(",", pod.podIPs()));
    awaitReady("pod-ip");

    // An adopted process: exec probes get the pod's IP again, from its adopted namespace.
    runner.close();
    runner = startRunner(podCidr());
    PodStatus after = awaitRunning("pod-ip");
    assertThat(pid(after, "main")).isEqualTo(pid(pod, "main"));
    awaitReady("pod-ip");
  }

  private void awaitReady(String name) {
    PodNetworkChecks.awaitReady(runner, name, WAIT);
  }

  private static List<String> environ(long pid) throws Exception {
    return List.of(Files.readString(Path.of("/proc/" + pid + "/environ")).split("\0"));
  }

  @Test
  void aHostPortAnswersOnTheNodeIpAndRemovingThePodFreesItsIpVethAndNamespace() throws Exception {
    runner = startRunner(podCidr());
    writeManifest(
        "hp.yaml",
        server("hp", www("hp"), "")
            .replace("- containerPort: 8080", "- {containerPort: 8080, hostPort: 18080}"));

    PodStatus pod = awaitRunning("hp");
    String ns = PodNamespaces.name(pod.uid());

    assertThat(NodeNetwork.httpStatus("http://" + nodeIp + ":18080/")).isEqualTo(200);
    assertThat(NodeNetwork.iptablesMentions("nat", "--dport 18080")).isTrue();
    assertThat(Path.of("/etc/netns", ns, "hosts")).exists();

    Files.delete(dir.resolve("manifests/hp.yaml"));

    eventually(WAIT, () -> assertThat(runner.status().pods()).isEmpty());
    eventually(
        WAIT,
        () -> {
          assertThat(NodeNetwork.allocatedIps()).doesNotContain(pod.podIP());
          assertThat(NodeNetwork.vethsOnBridge()).isEmpty();
          assertThat(Path.of("/run/netns", ns)).doesNotExist();
        });
    assertThat(Path.of("/etc/netns", ns)).doesNotExist();
    assertThat(NodeNetwork.iptablesMentions("nat", "--dport 18080")).isFalse();
    assertThat(NodeNetwork.httpStatus("http://" + nodeIp + ":18080/")).isZero();
    assertThat(dir.resolve("state/cni/attachments/" + ns + ".json")).doesNotExist();
    assertThat(dir.resolve("state/netns/" + ns + ".json")).doesNotExist();
  }

  @Test
  void aRestartedRunnerAdoptsThePodWithItsNetwork() throws Exception {
    runner = startRunner(podCidr());
    writeManifest("a.yaml", server("a", www("a"), ""));
    PodStatus before = awaitRunning("a");

    runner.close();
    runner = startRunner(podCidr());

    PodStatus after = awaitRunning("a");
    assertThat(after.podIP()).isEqualTo(before.podIP());
    assertThat(pid(after, "main")).isEqualTo(pid(before, "main"));
    assertThat(NodeNetwork.httpStatus("http://" + after.podIP() + ":8080/")).isEqualTo(200);
    assertThat(NodeNetwork.vethsOnBridge()).hasSize(1);
  }

  @Test
  void whatAKilledRunnerLeftOfARemovedPodIsCleanedAtTheNextStart() throws Exception {
    runner = startRunner(podCidr());
    writeManifest("a.yaml", server("a", www("a"), ""));
    PodStatus a = awaitRunning("a");
    runner.close();
    // The pod goes while no runner runs; its process is killed as a crash would.
    Files.delete(dir.resolve("manifests/a.yaml"));
    NodeNetwork.run("kill", "-KILL", Long.toString(pid(a, "main")));
    assertThat(NodeNetwork.allocatedIps()).contains(a.podIP());
    assertThat(Path.of("/run/netns", PodNamespaces.name(a.uid()))).exists();

    runner = startRunner(podCidr());

    eventually(
        WAIT,
        () -> {
          assertThat(NodeNetwork.allocatedIps()).isEmpty();
          assertThat(NodeNetwork.vethsOnBridge()).isEmpty();
          assertThat(Path.of("/run/netns", PodNamespaces.name(a.uid()))).doesNotExist();
        });
    try (Stream<Path> left = Files.list(dir.resolve("state/cni/attachments"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void withoutAPodNetworkThePodWaitsWithAClearReasonAndHostNetworkPodsRun() throws Exception {
    Path confDir = Files.createDirectories(dir.resolve("net.d"));
    runner = startRunner(PodNetworkOptions.defaults().withConfDir(confDir));
    writeManifest("static-web.yaml", staticWeb(www("static-web")));
    writeManifest(
        "host.yaml",
        PodNetworkChecks.hostNetworkPod(
            "{name: main, image: busybox, command: [/bin/busybox, sleep, \"3600\"]}"));

    awaitRunning("host");
    PodKey web = new PodKey("default", "static-web-node1");
    PodNetworkChecks.awaitNetworkNotReady(
        runner,
        web,
        "web",
        WAIT,
        s -> seenUids.add(s.uid()),
        "no CNI config in " + confDir,
        "--pod-cidr",
        "networking.podSubnet");
    assertThat(kubebootNamespaces()).isEmpty();

    // Missing plugins are named, with what to install.
    runner.shutdown(true);
    Path emptyBin = Files.createDirectories(dir.resolve("bin"));
    runner = startRunner(podCidr().withBinDirs(List.of(emptyBin)));
    PodNetworkChecks.awaitNetworkNotReady(
        runner,
        web,
        "web",
        WAIT,
        s -> {},
        "bridge, host-local, portmap",
        emptyBin.toString(),
        "containernetworking-plugins");
  }
}
