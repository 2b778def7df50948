package dev.kubeboot.runner;

import static dev.kubeboot.runner.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.PodStatus;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's etcd (apt-get install etcd-server) as a static pod the way kubeadm writes it for an etcd
 * older than 3.5: HTTP startup and liveness probes on the metrics port, through the real prober.
 */
@Timeout(90)
class StaticPodRunnerEtcdTest {
  private static final Path ETCD = Path.of("/usr/bin/etcd");
  private static final PodKey POD = new PodKey("kube-system", "etcd-node1");

  @TempDir Path dir;
  private StaticPodRunner runner;

  @AfterEach
  void stop() throws InterruptedException {
    if (runner != null) {
      runner.shutdown(true);
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void etcdRunsPassesItsProbesAndStopsWhenItsManifestGoes() throws Exception {
    assumeTrue(
        Files.isExecutable(ETCD), "needs Debian's etcd-server: apt-get install -y etcd-server");
    Path manifests = Files.createDirectories(dir.resolve("manifests"));
    Path data = dir.resolve("etcd-data");
    int client = freePort();
    int peer = freePort();
    int metrics = freePort();
    String manifest =
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: etcd
          namespace: kube-system
          labels: {component: etcd, tier: control-plane}
        spec:
          hostNetwork: true
          containers:
          - name: etcd
            image: registry.k8s.io/etcd:3.4.23-0
            command:
            - etcd
            - --data-dir=%1$s
            - --name=node1
            - --listen-client-urls=http://127.0.0.1:%2$d
            - --advertise-client-urls=http://127.0.0.1:%2$d
            - --listen-peer-urls=http://127.0.0.1:%3$d
            - --initial-advertise-peer-urls=http://127.0.0.1:%3$d
            - --initial-cluster=node1=http://127.0.0.1:%3$d
            - --listen-metrics-urls=http://127.0.0.1:%4$d
            livenessProbe:
              httpGet: {host: 127.0.0.1, path: "/health?exclude=NOSPACE&serializable=true", port: %4$d, scheme: HTTP}
              periodSeconds: 1
              failureThreshold: 8
            startupProbe:
              httpGet: {host: 127.0.0.1, path: "/health?serializable=false", port: %4$d, scheme: HTTP}
              periodSeconds: 1
              failureThreshold: 24
            volumeMounts:
            - {name: etcd-data, mountPath: %1$s}
          volumes:
          - name: etcd-data
            hostPath: {path: %1$s, type: DirectoryOrCreate}
        """
            .formatted(data, client, peer, metrics);
    Files.writeString(manifests.resolve("etcd.yaml"), manifest);
    RunnerSpec spec =
        RunnerSpec.builder(manifests, "node1", "127.0.0.1", dir.resolve("state"))
            .statusPort(0)
            .runtime("process")
            .build();

    runner = Runners.start(spec);

    eventually(
        Duration.ofSeconds(30),
        () -> {
          PodStatus pod = runner.status().pod(POD).orElseThrow();
          assertThat(pod.ready()).isTrue();
          assertThat(pod.container("etcd").orElseThrow().started()).isTrue();
        });
    long pid =
        Long.parseLong(
            runner
                .status()
                .pod(POD)
                .orElseThrow()
                .container("etcd")
                .orElseThrow()
                .containerID()
                .substring("process://".length()));
    assertThat(runner.status().pod(POD).orElseThrow().container("etcd").orElseThrow().state())
        .isInstanceOf(ContainerState.Running.class);

    Files.delete(manifests.resolve("etcd.yaml"));

    eventually(
        Duration.ofSeconds(30),
        () ->
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse());
    eventually(() -> assertThat(runner.status().pods()).isEmpty());
  }
}
