package dev.kubeboot.cli.day2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A node made by a real `kubeboot init` (without preflight and runner phases) in a temp dir. */
final class Node {
  /** What one command run gave. */
  record Result(int code, String out, String err) {}

  final Path root;
  final Path kubernetesDir;
  final Path pki;
  final Path manifests;
  final Path etcdData;
  final Path config;

  private Node(Path root) {
    this.root = root;
    this.kubernetesDir = root.resolve("kubernetes");
    this.pki = kubernetesDir.resolve("pki");
    this.manifests = kubernetesDir.resolve("manifests");
    this.etcdData = root.resolve("etcd-data");
    this.config = root.resolve("kubeadm.yaml");
  }

  /**
   * init with a config: advertise 127.0.0.1, node n1, etcd data in the temp dir, plus {@code
   * clusterExtra}.
   */
  static Node init(Path root, String clusterExtra, String... initFlags) throws IOException {
    var node = new Node(root);
    Files.createDirectories(root);
    Files.writeString(node.config, node.configText(clusterExtra));
    var args =
        new ArrayList<>(
            List.of(
                "init",
                "--config",
                node.config.toString(),
                "--kubernetes-dir",
                node.kubernetesDir.toString(),
                "--skip-phases",
                "preflight,runner-start,wait-control-plane"));
    args.addAll(List.of(initFlags));
    Result init = node.run(args.toArray(String[]::new));
    assertThat(init.code()).as(init.err()).isZero();
    return node;
  }

  String configText(String clusterExtra) {
    return """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: InitConfiguration
        localAPIEndpoint:
          advertiseAddress: 127.0.0.1
        nodeRegistration:
          name: n1
        ---
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        kubernetesVersion: v1.34.0
        etcd:
          local:
            dataDir: %s
        %s
        """
        .formatted(etcdData, clusterExtra);
  }

  /** Runs kubeboot with these args, answering {@code stdin} to any prompt. */
  Result runWithInput(String stdin, String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int code =
        Main.run(
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            args);
    return new Result(code, out.toString(), err.toString());
  }

  Result run(String... args) {
    return runWithInput("", args);
  }

  /** {@code command} with --kubernetes-dir of this node appended. */
  Result onNode(String... command) {
    var args = new ArrayList<>(List.of(command));
    args.add("--kubernetes-dir");
    args.add(kubernetesDir.toString());
    return run(args.toArray(String[]::new));
  }
}
