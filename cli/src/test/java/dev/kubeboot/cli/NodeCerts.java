package dev.kubeboot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/**
 * A first node's certificates as the real certs phase issues them (node1, advertising 127.0.0.1):
 * what tests serve TLS with or join against.
 */
public final class NodeCerts {
  private NodeCerts() {}

  /** Runs {@code init phase certs all} into {@code kubernetesDir}; its pki/ holds the result. */
  public static void issue(Path kubernetesDir) {
    CliRun certs =
        CliRun.kubeboot(
            "init",
            "phase",
            "certs",
            "all",
            "--kubernetes-dir",
            kubernetesDir.toString(),
            "--node-name",
            "node1",
            "--apiserver-advertise-address",
            "127.0.0.1");
    assertThat(certs.code()).as(certs.out() + certs.err()).isZero();
  }
}
