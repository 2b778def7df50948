package dev.kubeboot.cli.init;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.cli.config.ExternalEtcd;
import dev.kubeboot.cli.init.PreflightPhase.Finding;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The external etcd's preflight checks: the client files, then each endpoint, named by field. */
class ExternalEtcdPreflightTest {
  @TempDir Path tmp;

  @Test
  void aMissingClientFileIsNamedByItsFieldAndNoEndpointIsAsked() throws Exception {
    var etcd =
        new ExternalEtcd(
            List.of("https://127.0.0.1:1"),
            Optional.of(tmp.resolve("ca.crt").toString()),
            Optional.empty(),
            Optional.empty());

    List<Finding> findings = ExternalEtcdPreflight.check(etcd, true);

    assertThat(findings)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.check()).isEqualTo("ExternalEtcdClientCertificates");
              assertThat(f.message())
                  .startsWith(
                      "ClusterConfiguration.etcd.external.caFile: "
                          + tmp.resolve("ca.crt")
                          + " does not exist");
              assertThat(f.fatal()).isTrue();
            });
  }

  @Test
  void anEndpointWhereNothingListensIsFatalAndNamedByIndex() throws Exception {
    int closed;
    try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    var etcd =
        new ExternalEtcd(
            List.of("http://127.0.0.1:" + closed),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    assertThat(ExternalEtcdPreflight.check(etcd, true))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.check()).isEqualTo("ExternalEtcdVersion");
              assertThat(f.message())
                  .startsWith(
                      "ClusterConfiguration.etcd.external.endpoints[0]: http://127.0.0.1:"
                          + closed
                          + " does not answer as a healthy etcd (connection refused");
            });
    assertThat(ExternalEtcdPreflight.check(etcd, false))
        .as("a render-only run starts nothing that needs etcd: no endpoint is asked")
        .isEmpty();
  }
}
