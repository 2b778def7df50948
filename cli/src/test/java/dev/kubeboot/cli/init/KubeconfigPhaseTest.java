package dev.kubeboot.cli.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.io.FileMode;
import dev.kubeboot.pki.CertificateChecks;
import dev.kubeboot.pki.Pem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Phase "kubeconfig": kubeadm's five kubeconfigs, each with its client identity and server. */
class KubeconfigPhaseTest {
  @TempDir Path tmp;

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(PhaseFixture f, String file) {
    return (Map<String, Object>)
        new Yaml(new SafeConstructor(new LoaderOptions()))
            .load(f.sink.text(f.layout().kubeconfig(file)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> first(Map<String, Object> doc, String list, String key) {
    return (Map<String, Object>) ((List<Map<String, Object>>) doc.get(list)).getFirst().get(key);
  }

  private static X509Certificate clientCert(Map<String, Object> doc) {
    return Pem.decodeCertificate(
        new String(
            Base64.getDecoder()
                .decode(String.valueOf(first(doc, "users", "user").get("client-certificate-data"))),
            StandardCharsets.US_ASCII));
  }

  @ParameterizedTest(name = "{0} is for {1} on {2}")
  @CsvSource({
    "admin.conf, 'CN=kubernetes-admin,O=kubeadm:cluster-admins', https://192.0.2.10:6443",
    "super-admin.conf, 'CN=kubernetes-super-admin,O=system:masters', https://192.0.2.10:6443",
    "kubelet.conf, 'CN=system:node:n1,O=system:nodes', https://192.0.2.10:6443",
    "controller-manager.conf, CN=system:kube-controller-manager, https://192.0.2.10:6443",
    "scheduler.conf, CN=system:kube-scheduler, https://192.0.2.10:6443"
  })
  void eachKubeconfigHoldsItsIdentitySignedByTheClusterCa(
      String file, String subject, String server) throws Exception {
    var f = new PhaseFixture(tmp);
    f.run("certs/ca", "kubeconfig");

    Map<String, Object> doc = yaml(f, file);

    X509Certificate client = clientCert(doc);
    assertThat(client.getSubjectX500Principal().getName()).isEqualTo(subject);
    CertificateChecks.verifySignedBy(
        client, Pem.decodeCertificate(f.sink.text(f.layout().cert("ca.crt"))));
    assertThat(first(doc, "clusters", "cluster").get("server")).isEqualTo(server);
    assertThat(f.sink.mode(f.layout().kubeconfig(file))).isEqualTo(FileMode.PRIVATE);
  }

  @Test
  void aSecondRunReusesTheKubeconfigs() throws Exception {
    var f = new PhaseFixture(tmp);
    f.run("certs/ca", "kubeconfig");
    String admin = f.sink.text(f.layout().kubeconfig("admin.conf"));

    f.run("kubeconfig");

    assertThat(f.sink.text(f.layout().kubeconfig("admin.conf"))).isEqualTo(admin);
  }

  @Test
  void withoutTheClusterCaNothingIsWritten() {
    var f = new PhaseFixture(tmp);

    assertThatThrownBy(() -> f.run("kubeconfig/admin"))
        .isInstanceOf(KubebootException.class)
        .hasMessageContaining("certs/ca");
    assertThat(f.sink.files).isEmpty();
  }
}
