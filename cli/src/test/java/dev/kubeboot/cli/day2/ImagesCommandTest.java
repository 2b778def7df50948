package dev.kubeboot.cli.day2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubeadm config images list: the images kubeadm 1.34 lists for the same version, repository and
 * configuration, in its three output formats (cmd/config.go imageTextPrinter, the Images object of
 * output.kubeadm.k8s.io/v1alpha3 through the JSON and YAML printers).
 */
class ImagesCommandTest {
  @TempDir Path tmp;

  private static final String V1_34_1 =
      """
      registry.k8s.io/kube-apiserver:v1.34.1
      registry.k8s.io/kube-controller-manager:v1.34.1
      registry.k8s.io/kube-scheduler:v1.34.1
      registry.k8s.io/kube-proxy:v1.34.1
      registry.k8s.io/coredns/coredns:v1.12.1
      registry.k8s.io/pause:3.10.1
      registry.k8s.io/etcd:3.6.4-0
      """;

  @Test
  void textIsOneImagePerLineAsKubeadm134ListsThem() {
    Node.Result r = NodeLess.run("config", "images", "list", "--kubernetes-version", "v1.34.1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(V1_34_1);
  }

  @Test
  void jsonIsKubeadmsImagesObject() {
    Node.Result r =
        NodeLess.run("config", "images", "list", "--kubernetes-version", "1.31.4", "-o", "json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
            {
                "kind": "Images",
                "apiVersion": "output.kubeadm.k8s.io/v1alpha3",
                "images": [
                    "registry.k8s.io/kube-apiserver:v1.31.4",
                    "registry.k8s.io/kube-controller-manager:v1.31.4",
                    "registry.k8s.io/kube-scheduler:v1.31.4",
                    "registry.k8s.io/kube-proxy:v1.31.4",
                    "registry.k8s.io/coredns/coredns:v1.11.3",
                    "registry.k8s.io/pause:3.10",
                    "registry.k8s.io/etcd:3.5.15-0"
                ]
            }
            """);
  }

  @Test
  void yamlIsKubeadmsImagesObjectWithSortedKeys() {
    Node.Result r =
        NodeLess.run(
            "config",
            "images",
            "list",
            "--kubernetes-version",
            "v1.33.6",
            "--image-repository",
            "mirror.example:5000/k8s",
            "--output",
            "yaml");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
            apiVersion: output.kubeadm.k8s.io/v1alpha3
            images:
            - mirror.example:5000/k8s/kube-apiserver:v1.33.6
            - mirror.example:5000/k8s/kube-controller-manager:v1.33.6
            - mirror.example:5000/k8s/kube-scheduler:v1.33.6
            - mirror.example:5000/k8s/kube-proxy:v1.33.6
            - mirror.example:5000/k8s/coredns:v1.12.0
            - mirror.example:5000/k8s/pause:3.10
            - mirror.example:5000/k8s/etcd:3.5.24-0
            kind: Images
            """);
  }

  @Test
  void theConfigFileCustomisesImagesAndTheFlagsWin() throws Exception {
    Path config = tmp.resolve("kubeadm.yaml");
    Files.writeString(
        config,
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        kubernetesVersion: v1.32.3
        imageRepository: corp.example/k8s
        dns:
          imageRepository: corp.example/dns
          imageTag: v1.11.1
        proxy:
          disabled: true
        etcd:
          external:
            endpoints:
            - https://10.0.0.9:2379
        """);
    Node.Result fromFile = NodeLess.run("config", "images", "list", "--config", config.toString());
    assertThat(fromFile.code()).as(fromFile.err()).isZero();
    assertThat(fromFile.out())
        .as("no kube-proxy (disabled), CoreDNS from its own repository, no etcd (external)")
        .isEqualTo(
            """
            corp.example/k8s/kube-apiserver:v1.32.3
            corp.example/k8s/kube-controller-manager:v1.32.3
            corp.example/k8s/kube-scheduler:v1.32.3
            corp.example/dns/coredns:v1.11.1
            corp.example/k8s/pause:3.10
            """);
    Node.Result flags =
        NodeLess.run(
            "config",
            "images",
            "list",
            "--config",
            config.toString(),
            "--kubernetes-version",
            "v1.34.1",
            "--image-repository",
            "registry.k8s.io");
    assertThat(flags.out())
        .startsWith("registry.k8s.io/kube-apiserver:v1.34.1\n")
        .contains("corp.example/dns/coredns:v1.11.1\n")
        .endsWith("registry.k8s.io/pause:3.10.1\n");
  }

  @Test
  void badInputIsAUsageErrorNamingTheField() throws Exception {
    Node.Result format = NodeLess.run("config", "images", "list", "-o", "go-template");
    assertThat(format.code()).isEqualTo(2);
    assertThat(format.err()).contains("--output go-template").contains("text, json, yaml");
    assertThat(format.out()).isEmpty();

    Node.Result version =
        NodeLess.run("config", "images", "list", "--kubernetes-version", "v1.29.2");
    assertThat(version.code()).isEqualTo(2);
    assertThat(version.err())
        .contains("--kubernetes-version")
        .contains("v1.29.2")
        .contains("v1.31 through v1.34");

    Path config = tmp.resolve("bad.yaml");
    Files.writeString(
        config,
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        imageRepositry: corp.example/k8s
        """);
    Node.Result typo = NodeLess.run("config", "images", "list", "--config", config.toString());
    assertThat(typo.code()).isEqualTo(2);
    assertThat(typo.err())
        .contains(config + ":3: ClusterConfiguration.imageRepositry: unknown field")
        .contains("did you mean \"imageRepository\"");
  }
}
