package dev.kubeboot.testing.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.testing.e2e.E2eSupport.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one control plane a single-node end-to-end IT brings up on this host: a fresh temporary work
 * dir holding its kubeadm config ({@code config}), the kubernetes dir kubeboot writes ({@code
 * kube}) with its {@code manifests} and the runner's {@code state}. It binds the control plane's
 * fixed ports, so the ITs that use it run one after another.
 */
record LocalControlPlane(Path work, Path kube, Path manifests, Path state, Path config) {
  /** The host-process runtime's flags for init. */
  static final List<String> PROCESS = List.of("--container-runtime", "process");

  /** The CRI runtime's flags for init, over the containerd at {@code endpoint}. */
  static List<String> cri(String endpoint) {
    return List.of("--container-runtime", "cri", "--container-runtime-endpoint", endpoint);
  }

  /**
   * Checks the control plane's ports are free, then makes a work dir named after {@code prefix}
   * whose kubeadm.yaml is {@link E2eSupport#kubeadmConfig} for {@code node} at {@code version}
   * (blank: kubeboot's default), its etcd data in the work dir, followed by {@code clusterExtra}.
   */
  static LocalControlPlane create(String prefix, String node, String version, String clusterExtra)
      throws Exception {
    for (int port : E2eSupport.CONTROL_PLANE_PORTS) {
      assertThat(E2eSupport.portFree(port))
          .as("port %d must be free for the end-to-end control plane", port)
          .isTrue();
    }
    Path work = Files.createTempDirectory(prefix);
    Path kube = work.resolve("kubernetes");
    Path config = work.resolve("kubeadm.yaml");
    Files.writeString(
        config, E2eSupport.kubeadmConfig(node, work.resolve("etcd-data"), version) + clusterExtra);
    return new LocalControlPlane(
        work, kube, kube.resolve("manifests"), kube.resolve("runner"), config);
  }

  /**
   * {@code kubeboot init} of this config into this kubernetes dir, on the runtime {@code
   * runtimeFlags} choose (e.g. {@code --container-runtime process}), then {@code extra}; the
   * control plane has 3 minutes to turn healthy.
   */
  Result init(List<String> runtimeFlags, String... extra) throws Exception {
    var args =
        new ArrayList<>(
            List.of("init", "--config", config.toString(), "--kubernetes-dir", kube.toString()));
    args.addAll(runtimeFlags);
    args.addAll(List.of("--timeout", "3m"));
    args.addAll(List.of(extra));
    return E2eSupport.kubeboot(Duration.ofMinutes(5), args.toArray(String[]::new));
  }

  /** {@code kubeboot status} of this node, with {@code flags}. */
  Result status(String... flags) throws Exception {
    var args = new ArrayList<>(List.of("status", "--kubernetes-dir", kube.toString()));
    args.addAll(List.of(flags));
    return E2eSupport.kubeboot(Duration.ofSeconds(60), args.toArray(String[]::new));
  }

  /** Debian's etcdctl with the healthcheck-client certificate, over mTLS: endpoint health. */
  Result etcdHealth() throws Exception {
    return E2eSupport.run(
        Duration.ofSeconds(30),
        Map.of("ETCDCTL_API", "3"),
        "etcdctl",
        "--endpoints",
        "https://127.0.0.1:2379",
        "--cacert",
        kube.resolve("pki/etcd/ca.crt").toString(),
        "--cert",
        kube.resolve("pki/etcd/healthcheck-client.crt").toString(),
        "--key",
        kube.resolve("pki/etcd/healthcheck-client.key").toString(),
        "endpoint",
        "health");
  }

  /** Takes this control plane down: its pods, then its runner. */
  void tearDown() throws Exception {
    E2eSupport.tearDown(manifests, state);
  }
}
