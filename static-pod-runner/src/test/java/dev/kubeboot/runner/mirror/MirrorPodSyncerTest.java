package dev.kubeboot.runner.mirror;

import static dev.kubeboot.runner.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.FakeTime;
import dev.kubeboot.runner.manifest.ManifestDecoder;
import dev.kubeboot.runner.manifest.ManifestSnapshot;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.ContainerStatus;
import dev.kubeboot.runner.status.PodCondition;
import dev.kubeboot.runner.status.PodPhase;
import dev.kubeboot.runner.status.PodStatus;
import dev.kubeboot.runner.status.RunnerStatus;
import dev.kubeboot.runner.status.StatusStore;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The syncer against fabric8's in-memory API server (CRUD mode), with the runner's status fed by
 * hand: what {@code kubectl} would see of this node's static pods.
 */
class MirrorPodSyncerTest {
  private static final String NODE = "cp-1";
  private static final String IP = "10.0.0.7";
  private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");

  private final Clock clock = Clock.systemUTC();
  private final ManifestDecoder decoder = new ManifestDecoder(clock);
  private final StatusStore store =
      new StatusStore(
          new RunnerStatus(
              1, START, "process", "/etc/kubernetes/manifests", NODE, "off", List.of(), List.of()));
  private KubernetesMockServer server;
  private KubernetesClient admin;
  private MirrorPodSyncer syncer;

  /** The syncer's heartbeat and resync period: its passes that no event started. */
  private Duration resync = MirrorSettings.DEFAULT_RESYNC;

  @AfterEach
  void tearDown() {
    if (syncer != null) {
      syncer.close();
    }
    if (admin != null) {
      admin.close();
    }
    if (server != null) {
      server.destroy();
    }
  }

  private static KubernetesMockServer newServer() {
    return new KubernetesMockServer(
        new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
  }

  private void startServer() {
    server = newServer();
    server.init();
    admin = server.createClient();
  }

  private Supplier<KubernetesClient> clientsFor(String masterUrl) {
    return () ->
        new KubernetesClientBuilder()
            .withConfig(
                KubeconfigClients.tuned(
                    new io.fabric8.kubernetes.client.ConfigBuilder()
                        .withMasterUrl(masterUrl)
                        .withNamespace("default")
                        .build()))
            .build();
  }

  private MirrorPodSyncer startSyncer(Supplier<KubernetesClient> clients, StaticPod... pods) {
    return startSyncer(clients, clock, pods);
  }

  private MirrorPodSyncer startSyncer(
      Supplier<KubernetesClient> clients, Clock clock, StaticPod... pods) {
    syncer =
        new MirrorPodSyncer(
            new MirrorSettings(
                NODE,
                IP,
                Map.of("example.com/role", "edge", "example.com/flag", ""),
                List.of(NodeTaint.parse("example.com/dedicated=db:NoExecute")),
                resync,
                resync,
                Duration.ofMillis(100),
                clock,
                new NodeSystem("v1.2.3", "fake://1.0", "Test OS 1", "6.1.0-test", 4, 8L << 30),
                Duration.ofSeconds(40)),
            clients,
            store);
    syncer.accept(snapshot(pods));
    syncer.start();
    return syncer;
  }

  private MirrorPodSyncer startSyncer(StaticPod... pods) {
    return startSyncer(clientsFor(admin.getMasterUrl().toString()), pods);
  }

  private static ManifestSnapshot snapshot(StaticPod... pods) {
    Map<dev.kubeboot.runner.pod.PodKey, StaticPod> map = new LinkedHashMap<>();
    for (StaticPod p : pods) {
      map.put(p.key(), p);
    }
    return new ManifestSnapshot(map, List.of());
  }

  private StaticPod etcd(String image) throws Exception {
    String yaml =
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: etcd
          namespace: kube-system
          labels:
            component: etcd
            tier: control-plane
          annotations:
            kubeadm.kubernetes.io/etcd.advertise-client-urls: https://10.0.0.7:2379
        spec:
          hostNetwork: true
          containers:
          - name: etcd
            image: %s
            command: [etcd]
        """
            .formatted(image);
    return decoder.decode(
        yaml.getBytes(StandardCharsets.UTF_8),
        Path.of("/etc/kubernetes/manifests/etcd.yaml"),
        NODE);
  }

  private static PodStatus running(StaticPod pod, int restarts) {
    Instant started = START.plusSeconds(5);
    return new PodStatus(
        pod.key(),
        pod.uid(),
        pod.source().toString(),
        PodPhase.RUNNING,
        List.of(
            new PodCondition(PodCondition.INITIALIZED, true, START),
            new PodCondition(PodCondition.READY, true, started),
            new PodCondition(PodCondition.CONTAINERS_READY, true, started),
            new PodCondition(PodCondition.POD_SCHEDULED, true, START)),
        List.of(),
        List.of(
            new ContainerStatus(
                "etcd",
                new ContainerState.Running(started),
                restarts == 0
                    ? Optional.empty()
                    : Optional.of(new ContainerState.Terminated(137, "Error", START, started)),
                true,
                true,
                restarts,
                pod.spec().containers().getFirst().image(),
                "process://4242")),
        Optional.of(START),
        IP,
        IP);
  }

  private Pod mirror(StaticPod pod) {
    return admin.pods().inNamespace(pod.key().namespace()).withName(pod.key().name()).get();
  }

  @Test
  void registersTheNodeWithTheGivenLabelsAndTaintsAsReady() {
    startServer();
    startSyncer();
    eventually(() -> assertThat(syncer).isNotNull());
    eventually(
        () -> {
          Node node = admin.nodes().withName(NODE).get();
          assertThat(node).isNotNull();
          assertThat(node.getMetadata().getLabels())
              .containsEntry("example.com/role", "edge")
              .containsEntry("example.com/flag", "")
              .containsEntry("kubernetes.io/hostname", NODE)
              .containsEntry("kubernetes.io/os", "linux")
              .containsKey("kubernetes.io/arch");
          assertThat(node.getSpec().getTaints())
              .singleElement()
              .satisfies(
                  t -> {
                    assertThat(t.getKey()).isEqualTo("example.com/dedicated");
                    assertThat(t.getValue()).isEqualTo("db");
                    assertThat(t.getEffect()).isEqualTo("NoExecute");
                  });
          assertThat(node.getStatus().getConditions())
              .anySatisfy(
                  c -> {
                    assertThat(c.getType()).isEqualTo("Ready");
                    assertThat(c.getStatus()).isEqualTo("True");
                    assertThat(c.getLastHeartbeatTime()).isNotBlank();
                  });
          assertThat(node.getStatus().getAddresses())
              .anySatisfy(a -> assertThat(a.getAddress()).isEqualTo(IP));
          assertThat(node.getStatus().getConditions())
              .extracting(c -> c.getType() + "=" + c.getStatus())
              .containsExactly(
                  "MemoryPressure=False", "DiskPressure=False", "PIDPressure=False", "Ready=True");
          var info = node.getStatus().getNodeInfo();
          assertThat(info.getKubeletVersion()).isEqualTo("v1.2.3");
          assertThat(info.getContainerRuntimeVersion()).isEqualTo("fake://1.0");
          assertThat(info.getOsImage()).isEqualTo("Test OS 1");
          assertThat(info.getKernelVersion()).isEqualTo("6.1.0-test");
          assertThat(info.getOperatingSystem()).isEqualTo("linux");
          assertThat(node.getStatus().getCapacity())
              .containsEntry("cpu", new Quantity("4"))
              .containsEntry("memory", new Quantity("8388608Ki"))
              .containsEntry("pods", new Quantity("110"));
          assertThat(node.getStatus().getAllocatable()).isEqualTo(node.getStatus().getCapacity());
          assertThat(store.current().mirror()).isEqualTo("on");
        });
  }

  @Test
  void theNodeLeaseIsHeldByTheNodeAndRenewedEveryHeartbeat() {
    startServer();
    FakeTime time = new FakeTime();
    startSyncer(clientsFor(server.url("/")), time);
    java.util.concurrent.atomic.AtomicReference<Lease> created =
        new java.util.concurrent.atomic.AtomicReference<>();
    eventually(
        () -> {
          created.set(admin.leases().inNamespace("kube-node-lease").withName(NODE).get());
          assertThat(created.get()).isNotNull();
        });
    Lease first = created.get();
    assertThat(first.getSpec().getHolderIdentity()).isEqualTo(NODE);
    assertThat(first.getSpec().getLeaseDurationSeconds()).isEqualTo(40);
    assertThat(first.getSpec().getRenewTime().toInstant()).isEqualTo(time.instant());
    assertThat(first.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getKind() + "/" + o.getName()).isEqualTo("Node/" + NODE));

    time.advanceSeconds(10);
    syncer.accept(snapshot());

    eventually(
        () ->
            assertThat(
                    admin
                        .leases()
                        .inNamespace("kube-node-lease")
                        .withName(NODE)
                        .get()
                        .getSpec()
                        .getRenewTime()
                        .toInstant())
                .isEqualTo(time.instant()));
  }

  @Test
  void aMirrorCopiesTheStaticPodAndIsOwnedByTheNode() throws Exception {
    startServer();
    StaticPod etcd = etcd("registry.k8s.io/etcd:3.6.4-0");
    startSyncer(etcd);
    eventually(() -> assertThat(mirror(etcd)).isNotNull());
    Pod mirror = mirror(etcd);
    Node node = admin.nodes().withName(NODE).get();
    Map<String, String> expected = new HashMap<>(etcd.annotations());
    expected.put("kubernetes.io/config.mirror", etcd.uid());
    assertThat(mirror.getMetadata().getName()).isEqualTo("etcd-" + NODE);
    assertThat(mirror.getMetadata().getAnnotations())
        .isEqualTo(expected)
        .containsEntry("kubernetes.io/config.hash", etcd.uid())
        .containsEntry("kubernetes.io/config.source", "file")
        .containsKey("kubernetes.io/config.seen")
        .containsEntry("kubeadm.kubernetes.io/etcd.advertise-client-urls", "https://10.0.0.7:2379");
    assertThat(mirror.getMetadata().getLabels()).isEqualTo(etcd.labels());
    assertThat(mirror.getMetadata().getUid()).isNotEqualTo(etcd.uid());
    OwnerReference owner = mirror.getMetadata().getOwnerReferences().getFirst();
    assertThat(mirror.getMetadata().getOwnerReferences()).hasSize(1);
    assertThat(owner.getApiVersion()).isEqualTo("v1");
    assertThat(owner.getKind()).isEqualTo("Node");
    assertThat(owner.getName()).isEqualTo(NODE);
    assertThat(owner.getUid()).isEqualTo(node.getMetadata().getUid());
    assertThat(owner.getController()).isTrue();
    assertThat(mirror.getSpec().getNodeName()).isEqualTo(NODE);
    assertThat(mirror.getSpec().getHostNetwork()).isTrue();
    assertThat(mirror.getSpec().getContainers().getFirst().getImage())
        .isEqualTo("registry.k8s.io/etcd:3.6.4-0");
  }

  @Test
  void theMirrorStatusFollowsThePodIncludingRestarts() throws Exception {
    startServer();
    StaticPod etcd = etcd("registry.k8s.io/etcd:3.6.4-0");
    store.putPod(running(etcd, 0));
    startSyncer(etcd);
    eventually(
        () -> {
          var status = mirror(etcd).getStatus();
          assertThat(status.getPhase()).isEqualTo("Running");
          assertThat(status.getHostIP()).isEqualTo(IP);
          assertThat(status.getPodIP()).isEqualTo(IP);
          assertThat(status.getStartTime()).isEqualTo("2026-11-25T10:00:00Z");
          assertThat(status.getConditions())
              .anySatisfy(
                  c -> {
                    assertThat(c.getType()).isEqualTo("Ready");
                    assertThat(c.getStatus()).isEqualTo("True");
                  });
          var c = status.getContainerStatuses().getFirst();
          assertThat(c.getReady()).isTrue();
          assertThat(c.getStarted()).isTrue();
          assertThat(c.getContainerID()).isEqualTo("process://4242");
          assertThat(c.getState().getRunning().getStartedAt()).isEqualTo("2026-11-25T10:00:05Z");
          assertThat(c.getRestartCount()).isZero();
        });
    store.putPod(running(etcd, 3));
    eventually(
        () -> {
          var c = mirror(etcd).getStatus().getContainerStatuses().getFirst();
          assertThat(c.getRestartCount()).isEqualTo(3);
          assertThat(c.getLastState().getTerminated().getExitCode()).isEqualTo(137);
        });
  }

  @Test
  void aMirrorDeletedThroughTheApiIsBackFromTheWatchAlone() throws Exception {
    startServer();
    // No heartbeat or resync pass within the test's time: only the watch can bring it back.
    resync = Duration.ofHours(1);
    StaticPod etcd = etcd("registry.k8s.io/etcd:3.6.4-0");
    store.putPod(running(etcd, 0));
    startSyncer(etcd);
    eventually(() -> assertThat(mirror(etcd).getStatus().getPhase()).isEqualTo("Running"));
    String before = mirror(etcd).getMetadata().getUid();

    admin.pods().inNamespace("kube-system").withName(etcd.key().name()).delete();
    eventually(
        () -> {
          Pod again = mirror(etcd);
          assertThat(again).isNotNull();
          assertThat(again.getMetadata().getUid()).isNotEqualTo(before);
        });
    eventually(() -> assertThat(mirror(etcd).getStatus().getPhase()).isEqualTo("Running"));
  }

  @Test
  void aMirrorWhoseConfigMirrorWasAlteredIsReplaced() throws Exception {
    startServer();
    // No heartbeat or resync pass within the test's time: only the watch can replace it.
    resync = Duration.ofHours(1);
    StaticPod etcd = etcd("registry.k8s.io/etcd:3.6.4-0");
    startSyncer(etcd);
    eventually(() -> assertThat(mirror(etcd)).isNotNull());
    String before = mirror(etcd).getMetadata().getUid();

    admin
        .pods()
        .inNamespace("kube-system")
        .withName(etcd.key().name())
        .edit(
            p -> {
              p.getMetadata().getAnnotations().put("kubernetes.io/config.mirror", "tampered");
              return p;
            });
    eventually(
        () -> {
          Pod again = mirror(etcd);
          assertThat(again.getMetadata().getUid()).isNotEqualTo(before);
          assertThat(again.getMetadata().getAnnotations())
              .containsEntry("kubernetes.io/config.mirror", etcd.uid());
        });
  }

  @Test
  void aChangedManifestReplacesTheMirrorWithTheNewHash() throws Exception {
    startServer();
    StaticPod v1 = etcd("registry.k8s.io/etcd:3.6.4-0");
    store.putPod(running(v1, 0));
    startSyncer(v1);
    eventually(() -> assertThat(mirror(v1).getStatus().getPhase()).isEqualTo("Running"));

    StaticPod v2 = etcd("registry.k8s.io/etcd:3.6.5-0");
    assertThat(v2.uid()).isNotEqualTo(v1.uid());
    syncer.accept(snapshot(v2));
    eventually(
        () ->
            assertThat(mirror(v2).getMetadata().getAnnotations())
                .containsEntry("kubernetes.io/config.hash", v2.uid())
                .containsEntry("kubernetes.io/config.mirror", v2.uid()));
    assertThat(mirror(v2).getSpec().getContainers().getFirst().getImage())
        .isEqualTo("registry.k8s.io/etcd:3.6.5-0");
    store.putPod(running(v2, 0));
    eventually(() -> assertThat(mirror(v2).getStatus().getPhase()).isEqualTo("Running"));
  }

  @Test
  void aRemovedManifestTakesItsMirrorAwayOnceThePodHasStopped() throws Exception {
    startServer();
    StaticPod etcd = etcd("registry.k8s.io/etcd:3.6.4-0");
    store.putPod(running(etcd, 0));
    startSyncer(etcd);
    eventually(() -> assertThat(mirror(etcd).getStatus().getPhase()).isEqualTo("Running"));

    syncer.accept(snapshot());
    // Still stopping: the runner reports it, so the mirror stays.
    Thread.sleep(300);
    assertThat(mirror(etcd)).isNotNull();
    store.removePod(etcd.key(), etcd.uid());
    eventually(() -> assertThat(mirror(etcd)).isNull());
    assertThat(admin.nodes().withName(NODE).get()).isNotNull();
  }

  @Test
  void whileTheApiServerIsUnreachableItWaitsAndThenCatchesUp() throws Exception {
    int port = freePort();
    StaticPod etcd = etcd("registry.k8s.io/etcd:3.6.4-0");
    store.putPod(running(etcd, 2));
    startSyncer(clientsFor("http://127.0.0.1:" + port), etcd);
    eventually(
        () ->
            assertThat(store.current().mirror())
                .startsWith("waiting: cannot reach the API server"));

    server = newServer();
    server.init(InetAddress.getLoopbackAddress(), port);
    admin = server.createClient();
    eventually(
        Duration.ofSeconds(15),
        () -> {
          assertThat(store.current().mirror()).isEqualTo("on");
          assertThat(admin.nodes().withName(NODE).get()).isNotNull();
          assertThat(mirror(etcd).getStatus().getContainerStatuses().getFirst().getRestartCount())
              .isEqualTo(2);
        });
  }

  @Test
  void aKubeconfigThatCannotBeReadIsReportedAsWaiting() {
    syncer =
        MirrorPodSyncer.fromKubeconfig(
            Path.of("/nonexistent/kubelet.conf"), MirrorSettings.of(NODE, IP, clock), store);
    syncer.start();
    eventually(
        () ->
            assertThat(store.current().mirror())
                .isEqualTo(
                    "waiting: kubeconfig /nonexistent/kubelet.conf cannot be read: check the path"
                        + " given with --kubeconfig"));
    syncer.close();
    assertThat(store.current().mirror()).isEqualTo("off");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
