package dev.kubeboot.cli.init;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.cli.io.FileMode;
import dev.kubeboot.runner.manifest.ManifestDecoder;
import dev.kubeboot.runner.pod.StaticPod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Phases "etcd" and "control-plane": manifests the runner reads, recorded as kubeboot's own. */
class ManifestsPhaseTest {
  @TempDir Path tmp;

  private static StaticPod decode(PhaseFixture f, String file) throws Exception {
    Path path = f.layout().manifest(file);
    return new ManifestDecoder(Clock.systemUTC())
        .decode(f.sink.text(path).getBytes(StandardCharsets.UTF_8), path, "n1");
  }

  @ParameterizedTest(name = "{0} writes {1}")
  @CsvSource({
    "etcd/local, etcd.yaml, etcd-n1",
    "control-plane/apiserver, kube-apiserver.yaml, kube-apiserver-n1",
    "control-plane/controller-manager, kube-controller-manager.yaml, kube-controller-manager-n1",
    "control-plane/scheduler, kube-scheduler.yaml, kube-scheduler-n1"
  })
  void eachPhaseWritesAManifestTheRunnerReads(String phase, String file, String pod)
      throws Exception {
    var f = new PhaseFixture(tmp);
    f.run("certs");

    f.run(phase);

    assertThat(decode(f, file).key().name()).isEqualTo(pod);
    assertThat(f.sink.mode(f.layout().manifest(file))).isEqualTo(FileMode.MANIFEST);
    assertThat(f.sink.text(f.layout().manifestRecord())).contains(file);
  }

  @Test
  void aManifestAlreadyUpToDateIsNotWrittenAgain() throws Exception {
    var f = new PhaseFixture(tmp);
    f.run("certs", "control-plane");

    f.run("control-plane");

    assertThat(f.out())
        .contains("Static Pod manifest for \"kube-apiserver\" is up to date")
        .doesNotContain("Creating static Pod manifest");
  }

  @Test
  void eachManifestIsReadOnceToChooseItsLineAndToWriteIt() throws Exception {
    var f = new PhaseFixture(tmp);
    f.run("certs");
    Path apiserver = f.layout().manifest("kube-apiserver.yaml").toAbsolutePath().normalize();

    f.run("control-plane");
    int firstRun = f.sink.reads.getOrDefault(apiserver, 0);
    f.run("control-plane");
    int secondRun = f.sink.reads.getOrDefault(apiserver, 0) - firstRun;

    assertThat(firstRun).isEqualTo(1);
    assertThat(secondRun).isEqualTo(1);
  }

  @Test
  void externalEtcdWritesNoEtcdManifest() throws Exception {
    Path config = tmp.resolve("kubeadm.yaml");
    Files.writeString(
        config,
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        etcd:
          external:
            endpoints: [https://192.0.2.50:2379]
            caFile: /etc/etcd/ca.crt
            certFile: /etc/etcd/client.crt
            keyFile: /etc/etcd/client.key
        """);
    var f = new PhaseFixture(tmp.resolve("kube"));
    f.options.config = config;

    f.run("etcd");

    assertThat(f.out()).contains("External etcd mode: Skipping the creation of a manifest");
    assertThat(f.sink.files).isEmpty();
  }
}
