package dev.kubeboot.runner.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.ContainerPort;
import dev.kubeboot.runner.pod.PortRef;
import dev.kubeboot.runner.pod.ProbeAction;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.pod.Volume;
import dev.kubeboot.runner.pod.VolumeMount;
import dev.kubeboot.runner.pod.VolumeSource;
import dev.kubeboot.runner.probe.DefaultProber;
import dev.kubeboot.runner.probe.ProbeResult;
import dev.kubeboot.runner.runtime.ContainerHandle;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's etcd (package etcd-server) run as a static pod's container, probed as the kubelet would.
 */
class HostProcessEtcdIT {
  @TempDir Path state;
  @TempDir Path host;

  @Test
  void runsProbesAndStopsEtcd() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/etcd")),
        "needs Debian's etcd: apt-get install -y etcd-server");
    int client = freePort();
    int peer = freePort();
    int metrics = freePort();
    Container etcd =
        ProcessPods.container(
            "etcd",
            "registry.k8s.io/etcd:3.5.21-0",
            List.of(
                "etcd",
                "--name=node1",
                "--data-dir=/var/lib/etcd",
                "--listen-client-urls=http://127.0.0.1:" + client,
                "--advertise-client-urls=http://127.0.0.1:" + client,
                "--listen-peer-urls=http://127.0.0.1:" + peer,
                "--initial-advertise-peer-urls=http://127.0.0.1:" + peer,
                "--initial-cluster=node1=http://127.0.0.1:" + peer,
                "--listen-metrics-urls=http://127.0.0.1:" + metrics),
            List.of(),
            List.of(new VolumeMount("etcd-data", "/var/lib/etcd", false)),
            List.of(new ContainerPort("probe-port", metrics, "TCP", metrics)));
    Path dataDir = host.resolve("etcd-data");
    StaticPod pod =
        ProcessPods.pod(
            "etcd",
            "0123456789abcdef0123456789abcdef",
            List.of(etcd),
            List.of(
                new Volume(
                    "etcd-data",
                    new VolumeSource.HostPath(dataDir.toString(), "DirectoryOrCreate"))));

    try (HostProcessRuntime runtime =
            new HostProcessRuntime(new HostProcessOptions(state, List.of(), Clock.systemUTC()));
        DefaultProber prober = new DefaultProber(runtime, "127.0.0.1", "1.34")) {
      ContainerHandle h = runtime.start(pod, etcd, 0);
      try {
        ProbeAction health =
            new ProbeAction.HttpGet(
                "HTTP",
                Optional.of("127.0.0.1"),
                new PortRef.Named("probe-port"),
                "/health?serializable=false",
                List.of());
        ProbeResult result = ProbeResult.failure("not probed");
        for (int i = 0; i < 100 && !result.success(); i++) {
          Thread.sleep(100);
          result = prober.probe(health, h, etcd, Duration.ofSeconds(1));
        }
        assertThat(result.success()).as(result.message()).isTrue();
        // The container's /var/lib/etcd was the host's volume directory.
        assertThat(dataDir.resolve("member")).isDirectory();
        ProbeResult tcp =
            prober.probe(
                new ProbeAction.TcpSocket(Optional.empty(), new PortRef.Number(client)),
                h,
                etcd,
                Duration.ofSeconds(1));
        assertThat(tcp.success()).as(tcp.message()).isTrue();
      } finally {
        runtime.stop(h, Duration.ofSeconds(10));
      }
      assertThat(runtime.onExit(h).toCompletableFuture().get(1, TimeUnit.SECONDS).finishedAt())
          .isNotNull();
      assertThat(Files.readString(runtime.logPath(h).orElseThrow())).contains("etcd");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
