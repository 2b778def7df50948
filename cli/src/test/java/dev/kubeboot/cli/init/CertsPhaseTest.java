package dev.kubeboot.cli.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.io.FileMode;
import dev.kubeboot.cli.workflow.PhaseFailedException;
import dev.kubeboot.pki.CertificateChecks;
import dev.kubeboot.pki.Pem;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Phase "certs": kubeadm's certificate table, written through the sink, reused when valid. */
class CertsPhaseTest {
  @TempDir Path tmp;

  private static X509Certificate cert(PhaseFixture f, String file) {
    return Pem.decodeCertificate(f.sink.text(f.layout().cert(file)));
  }

  @ParameterizedTest(name = "{0} is signed by {1}")
  @CsvSource({
    "apiserver, ca",
    "apiserver-kubelet-client, ca",
    "front-proxy-client, front-proxy-ca",
    "etcd/server, etcd/ca",
    "etcd/peer, etcd/ca",
    "etcd/healthcheck-client, etcd/ca",
    "apiserver-etcd-client, etcd/ca"
  })
  void everyLeafIsSignedByItsCaAndItsKeyIsPrivate(String leaf, String ca) throws Exception {
    var f = new PhaseFixture(tmp);

    f.run("certs");

    CertificateChecks.verifySignedBy(cert(f, leaf + ".crt"), cert(f, ca + ".crt"));
    assertThat(
            CertificateChecks.keyMatches(
                cert(f, leaf + ".crt"),
                Pem.decodePrivateKey(f.sink.text(f.layout().cert(leaf + ".key")))))
        .isTrue();
    assertThat(f.sink.mode(f.layout().cert(leaf + ".key"))).isEqualTo(FileMode.PRIVATE);
    assertThat(f.sink.mode(f.layout().cert(leaf + ".crt"))).isEqualTo(FileMode.PUBLIC);
  }

  @Test
  void theApiServerCertificateNamesTheAdvertiseAddressAndTheServiceNames() throws Exception {
    var f = new PhaseFixture(tmp);

    f.run("certs");

    assertThat(f.out())
        .contains("[certs] Generating \"ca\" certificate and key")
        .contains(
            "apiserver serving cert is signed for DNS names [kubernetes kubernetes.default"
                + " kubernetes.default.svc kubernetes.default.svc.cluster.local n1] and IPs"
                + " [10.96.0.1 192.0.2.10]");
    assertThat(f.sink.text(f.layout().cert("sa.pub"))).startsWith("-----BEGIN PUBLIC KEY-----");
    assertThat(f.sink.mode(f.layout().cert("sa.key"))).isEqualTo(FileMode.PRIVATE);
  }

  @Test
  void aSecondRunKeepsEveryFileAsItIs() throws Exception {
    var f = new PhaseFixture(tmp);
    f.run("certs");
    Map<Path, String> before = snapshot(f);

    f.run("certs");

    assertThat(snapshot(f)).isEqualTo(before);
    assertThat(f.out())
        .contains("[certs] Using existing ca certificate authority")
        .contains("[certs] Using existing apiserver certificate and key on disk")
        .doesNotContain("Generating");
  }

  @Test
  void aLeafWithoutItsCaIsAPrerequisiteReportedBeforeAnythingIsWritten() {
    var f = new PhaseFixture(tmp);

    assertThatThrownBy(() -> f.run("certs/apiserver"))
        .isInstanceOf(KubebootException.class)
        .hasMessageContaining("certs/ca");
    assertThat(f.sink.files).isEmpty();
  }

  @Test
  void aCertificateThatIsNoCaInTheCasPlaceIsRefused() throws Exception {
    var f = new PhaseFixture(tmp);
    f.run("certs");
    f.sink.write(
        f.layout().cert("ca.crt"),
        f.sink.read(f.layout().cert("apiserver.crt")).orElseThrow(),
        FileMode.PUBLIC);

    assertThatThrownBy(() -> f.run("certs/ca"))
        .isInstanceOf(PhaseFailedException.class)
        .hasMessageContaining(f.layout().cert("ca.crt") + " is not a CA certificate");
  }

  private static Map<Path, String> snapshot(PhaseFixture f) {
    var copy = new java.util.TreeMap<Path, String>();
    f.sink.files.forEach((p, e) -> copy.put(p, new String(e.content())));
    return copy;
  }
}
