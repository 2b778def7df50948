package dev.kubeboot.runner.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeboot.runner.network.CniPodNetwork;
import dev.kubeboot.runner.network.PodHostFiles;
import dev.kubeboot.runner.network.PodNetworkOptions;
import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.PodSpec;
import dev.kubeboot.runner.pod.RestartPolicy;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.runtime.ContainerStartException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A pod's uid names its network namespace, its /etc/netns directory and its record: one that could
 * reach elsewhere is refused before anything is made. The network calls themselves are shown by
 * ProcessPodNetworkIT.
 */
class PodNamespacesTest {
  @TempDir Path state;

  private PodNamespaces namespaces(Optional<String> ip) {
    return new PodNamespaces(
        new CniPodNetwork(PodNetworkOptions.defaults(), state),
        new PodHostFiles(PodHostFiles.HOST_RESOLV_CONF),
        state,
        ip);
  }

  private static StaticPod pod(String uid) {
    Container c = ProcessPods.container("main", List.of("sleep", "60"));
    return new StaticPod(
        new PodKey("default", "web-node1"),
        uid,
        Path.of("/etc/kubernetes/manifests/web.yaml"),
        Map.of(),
        Map.of(),
        new PodSpec(
            List.of(), List.of(c), RestartPolicy.ALWAYS, false, Duration.ofSeconds(1), List.of()),
        Map.of());
  }

  @ParameterizedTest(name = "uid \"{0}\" is refused")
  @ValueSource(strings = {"../../etc", "a/../../b", "x..y", "/run/netns/host", "-n", ""})
  void aUidThatCouldReachElsewhereIsRefusedBeforeAnythingIsMade(String uid) throws Exception {
    PodNamespaces namespaces = namespaces(Optional.of("/nonexistent/ip"));

    assertThatThrownBy(() -> namespaces.ensure(pod(uid)))
        .isInstanceOf(ContainerStartException.class)
        .hasMessageContaining("web-node1")
        .hasMessageContaining("cannot name a network namespace")
        .extracting(e -> ((ContainerStartException) e).reason())
        .isEqualTo("CreatePodSandboxError");
    assertThat(state.resolve("netns")).doesNotExist();
    // Removing such a pod touches nothing either.
    namespaces.remove(new PodKey("default", "web-node1"), uid);
    assertThat(Files.list(state)).isEmpty();
  }

  @Test
  void withoutIpThePodWaitsNamingIproute2() throws Exception {
    Path bin = Files.createDirectories(state.resolve("bin"));
    for (String plugin : List.of("bridge", "host-local", "portmap", "loopback")) {
      Path p = Files.writeString(bin.resolve(plugin), "#!/bin/sh\nexit 1\n");
      p.toFile().setExecutable(true);
    }
    Path conf = Files.createDirectories(state.resolve("net.d"));
    Files.writeString(
        conf.resolve("10-mine.conflist"),
        """
        {"cniVersion": "1.0.0", "name": "mine", "plugins": [{"type": "bridge"}]}
        """);
    PodNamespaces namespaces =
        new PodNamespaces(
            new CniPodNetwork(
                new PodNetworkOptions(List.of(), conf, List.of(bin)), state.resolve("state")),
            new PodHostFiles(PodHostFiles.HOST_RESOLV_CONF),
            state.resolve("state"),
            Optional.empty());

    assertThatThrownBy(() -> namespaces.ensure(pod("0123456789abcdef")))
        .isInstanceOf(ContainerStartException.class)
        .hasMessageContaining("install iproute2")
        .extracting(e -> ((ContainerStartException) e).reason())
        .isEqualTo("NetworkPluginNotReady");
    assertThat(state.resolve("state/netns")).doesNotExist();
  }
}
