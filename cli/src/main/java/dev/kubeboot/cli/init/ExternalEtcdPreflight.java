package dev.kubeboot.cli.init;

import dev.kubeboot.cli.config.ExternalEtcd;
import dev.kubeboot.cli.health.ControlPlaneChecks;
import dev.kubeboot.cli.health.HealthCheck;
import dev.kubeboot.cli.init.PreflightPhase.Finding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * kubeadm's preflight checks of an external etcd: the client files exist
 * (ExternalEtcdClientCertificates) and every endpoint answers (kubeadm's ExternalEtcdVersion asks
 * /version; kubeboot asks /health, which also says whether the member can serve). Without them the
 * API server would start and wait-control-plane would only time out.
 */
final class ExternalEtcdPreflight {
  private static final String FIELD = "ClusterConfiguration.etcd.external";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private ExternalEtcdPreflight() {}

  /**
   * @param contact ask the endpoints (a run that starts the control plane); a render-only run only
   *     checks the files
   */
  static List<Finding> check(ExternalEtcd etcd, boolean contact) throws InterruptedException {
    var findings = new ArrayList<Finding>();
    boolean filesOk = true;
    for (var file :
        Map.of("caFile", etcd.caFile(), "certFile", etcd.certFile(), "keyFile", etcd.keyFile())
            .entrySet()) {
      if (file.getValue().isPresent() && !Files.isReadable(Path.of(file.getValue().get()))) {
        filesOk = false;
        findings.add(
            new Finding(
                "ExternalEtcdClientCertificates",
                FIELD
                    + "."
                    + file.getKey()
                    + ": "
                    + file.getValue().get()
                    + " does not exist or cannot be read; copy the etcd cluster's file there",
                true));
      }
    }
    if (!filesOk || !contact) {
      return findings;
    }
    List<HealthCheck> checks;
    try {
      checks =
          ControlPlaneChecks.externalEtcd(
              etcd.endpoints(),
              path(etcd.caFile()),
              path(etcd.certFile()),
              path(etcd.keyFile()),
              TIMEOUT);
    } catch (IOException | RuntimeException e) {
      findings.add(
          new Finding(
              "ExternalEtcdClientCertificates",
              FIELD
                  + ".caFile/certFile/keyFile: cannot be used as etcd client credentials: "
                  + e.getMessage(),
              true));
      return findings;
    }
    for (int i = 0; i < checks.size(); i++) {
      HealthCheck.Result result = checks.get(i).probe(TIMEOUT);
      if (!result.healthy()) {
        findings.add(
            new Finding(
                "ExternalEtcdVersion",
                FIELD
                    + ".endpoints["
                    + i
                    + "]: "
                    + etcd.endpoints().get(i)
                    + " does not answer as a healthy etcd ("
                    + result.detail()
                    + "); check that the etcd cluster runs and that this node reaches it with"
                    + " these client files",
                true));
      }
    }
    return findings;
  }

  private static Optional<Path> path(Optional<String> file) {
    return file.map(Path::of);
  }
}
