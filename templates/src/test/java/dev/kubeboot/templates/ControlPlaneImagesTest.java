package dev.kubeboot.templates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.templates.ControlPlaneImages.ImageOverride;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** kubeadm's images.GetControlPlaneImages, as `kubeadm config images list` prints it. */
class ControlPlaneImagesTest {
  private static final ImageOverride NONE = ImageOverride.none();

  private static ControlPlaneImages images(String version, String repository) {
    return new ControlPlaneImages(
        KubernetesVersion.parse(version), repository, Optional.of(NONE), NONE, false, false);
  }

  @Test
  void kubeadm134ListsSevenImagesFromTheDefaultRegistry() {
    assertThat(images("v1.34.1", "registry.k8s.io").list())
        .containsExactly(
            "registry.k8s.io/kube-apiserver:v1.34.1",
            "registry.k8s.io/kube-controller-manager:v1.34.1",
            "registry.k8s.io/kube-scheduler:v1.34.1",
            "registry.k8s.io/kube-proxy:v1.34.1",
            "registry.k8s.io/coredns/coredns:v1.12.1",
            "registry.k8s.io/pause:3.10.1",
            "registry.k8s.io/etcd:3.6.4-0");
  }

  @Test
  void eachReleaseHasItsOwnEtcdPauseAndCoreDns() {
    assertThat(images("v1.31.2", "registry.k8s.io").list())
        .endsWith(
            "registry.k8s.io/coredns/coredns:v1.11.3",
            "registry.k8s.io/pause:3.10",
            "registry.k8s.io/etcd:3.5.15-0");
    assertThat(images("v1.33.6", "registry.k8s.io").list())
        .endsWith(
            "registry.k8s.io/coredns/coredns:v1.12.0",
            "registry.k8s.io/pause:3.10",
            "registry.k8s.io/etcd:3.5.24-0");
  }

  @Test
  void aMirrorHoldsCoreDnsAtTheTopAndBuildMetadataBecomesAnUnderscore() {
    assertThat(images("v1.34.0+custom.1", "mirror.example:5000/k8s").list())
        .containsExactly(
            "mirror.example:5000/k8s/kube-apiserver:v1.34.0_custom.1",
            "mirror.example:5000/k8s/kube-controller-manager:v1.34.0_custom.1",
            "mirror.example:5000/k8s/kube-scheduler:v1.34.0_custom.1",
            "mirror.example:5000/k8s/kube-proxy:v1.34.0_custom.1",
            "mirror.example:5000/k8s/coredns:v1.12.1",
            "mirror.example:5000/k8s/pause:3.10.1",
            "mirror.example:5000/k8s/etcd:3.6.4-0");
  }

  @Test
  void overridesDisabledAddonsAndExternalEtcd() {
    var etcd = new ImageOverride(Optional.of("quay.io/coreos"), Optional.of("v3.5.9"));
    var dns = new ImageOverride(Optional.of("registry.k8s.io"), Optional.of("v1.10.1"));
    assertThat(
            new ControlPlaneImages(
                    KubernetesVersion.parse("v1.34.2"),
                    "registry.k8s.io",
                    Optional.of(etcd),
                    dns,
                    false,
                    true)
                .list())
        .as("kube-proxy left out, CoreDNS and etcd overridden")
        .containsExactly(
            "registry.k8s.io/kube-apiserver:v1.34.2",
            "registry.k8s.io/kube-controller-manager:v1.34.2",
            "registry.k8s.io/kube-scheduler:v1.34.2",
            "registry.k8s.io/coredns/coredns:v1.10.1",
            "registry.k8s.io/pause:3.10.1",
            "quay.io/coreos/etcd:v3.5.9");
    assertThat(
            new ControlPlaneImages(
                    KubernetesVersion.parse("v1.34.2"),
                    "registry.k8s.io",
                    Optional.empty(),
                    NONE,
                    true,
                    false)
                .list())
        .as("no CoreDNS, no etcd")
        .isEqualTo(
            List.of(
                "registry.k8s.io/kube-apiserver:v1.34.2",
                "registry.k8s.io/kube-controller-manager:v1.34.2",
                "registry.k8s.io/kube-scheduler:v1.34.2",
                "registry.k8s.io/kube-proxy:v1.34.2",
                "registry.k8s.io/pause:3.10.1"));
  }
}
