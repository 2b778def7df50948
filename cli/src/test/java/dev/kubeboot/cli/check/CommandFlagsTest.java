package dev.kubeboot.cli.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.manifest.ManifestDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandFlagsTest {

  @Test
  void readsKubeadmsEqualsFormAndPassesOverTheBinaryAndShorthands() {
    var flags =
        CommandFlags.of(
            List.of(
                "kube-apiserver",
                "--advertise-address=10.0.0.5",
                "--secure-port=6443",
                "-v=2",
                "--etcd-servers=https://a:2379,https://b:2379"));

    assertThat(flags.values())
        .isEqualTo(
            Map.of(
                "advertise-address", "10.0.0.5",
                "secure-port", "6443",
                "etcd-servers", "https://a:2379,https://b:2379"));
  }

  @Test
  void aFlagWithoutEqualsTakesTheNextWordAsPflagDoes() {
    var flags = CommandFlags.of(List.of("kube-scheduler", "--secure-port", "10300", "--v=4"));

    assertThat(flags.get("secure-port")).contains("10300");
    assertThat(flags.get("v")).contains("4");
  }

  @Test
  void aBareFlagBeforeAnotherFlagOrAtTheEndIsTrue() {
    var flags =
        CommandFlags.of(List.of("kube-apiserver", "--allow-privileged", "--profiling", "-v", "2"));

    assertThat(flags.values()).isEqualTo(Map.of("allow-privileged", "true", "profiling", "true"));
  }

  @Test
  void theLastOfARepeatedFlagWins() {
    var flags =
        CommandFlags.of(
            List.of("etcd", "--listen-client-urls=https://a:2379", "--listen-client-urls", "x"));

    assertThat(flags.get("listen-client-urls")).contains("x");
  }

  @Test
  void nothingAfterTheDoubleDashIsAFlag() {
    var flags = CommandFlags.of(List.of("kube-apiserver", "--a=1", "--", "--b=2"));

    assertThat(flags.values()).isEqualTo(Map.of("a", "1"));
  }

  @Test
  void anEmptyValueCountsAsNotGiven() {
    var flags = CommandFlags.of(List.of("kube-apiserver", "--bind-address="));

    assertThat(flags.get("bind-address")).isEmpty();
    assertThat(flags.getOrDefault("bind-address", "127.0.0.1")).isEqualTo("127.0.0.1");
  }

  @Test
  void aContainersFlagsComeFromItsCommandAndItsArgs() throws Exception {
    String manifest =
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: kube-apiserver
          namespace: kube-system
        spec:
          hostNetwork: true
          containers:
          - name: kube-apiserver
            image: registry.k8s.io/kube-apiserver:v1.34.0
            command: ["kube-apiserver", "--advertise-address=10.0.0.5"]
            args: ["--secure-port", "7443"]
        """;
    var pod =
        new ManifestDecoder(Clock.systemUTC())
            .decode(
                manifest.getBytes(StandardCharsets.UTF_8),
                Path.of("kube-apiserver.yaml"),
                "node-1");

    var flags = CommandFlags.of(pod.spec().containers().getFirst());

    assertThat(flags.values())
        .isEqualTo(Map.of("advertise-address", "10.0.0.5", "secure-port", "7443"));
  }
}
