package dev.kubeboot.templates;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The images of a control plane as kubeadm names them (cmd/kubeadm/app/images/images.go): what
 * {@code config images list} prints and {@code config images pull} pulls, in kubeadm's order:
 * kube-apiserver, kube-controller-manager, kube-scheduler, kube-proxy (unless the proxy addon is
 * disabled), CoreDNS (unless the DNS addon is disabled), pause, and etcd (local etcd only). The
 * static pod manifests take their images from the same functions, so the list and the manifests
 * agree.
 *
 * @param version the Kubernetes version: the tag of the Kubernetes images and, through {@link
 *     KubeadmRelease}, the etcd, pause and CoreDNS tags kubeadm of that release uses
 * @param imageRepository {@code ClusterConfiguration.imageRepository}
 * @param localEtcd {@code etcd.local}'s image settings; empty with external etcd
 * @param dns {@code ClusterConfiguration.dns}'s image settings
 * @param dnsDisabled {@code dns.disabled}
 * @param proxyDisabled {@code proxy.disabled}
 */
public record ControlPlaneImages(
    KubernetesVersion version,
    String imageRepository,
    Optional<ImageOverride> localEtcd,
    ImageOverride dns,
    boolean dnsDisabled,
    boolean proxyDisabled) {
  /** kubeadm's default registry; its CoreDNS image lives one level deeper. */
  public static final String DEFAULT_REPOSITORY = "registry.k8s.io";

  /** A component's {@code imageRepository} and {@code imageTag} (ImageMeta), each optional. */
  public record ImageOverride(Optional<String> imageRepository, Optional<String> imageTag) {
    public ImageOverride {
      Objects.requireNonNull(imageRepository, "imageRepository");
      Objects.requireNonNull(imageTag, "imageTag");
    }

    public static ImageOverride none() {
      return new ImageOverride(Optional.empty(), Optional.empty());
    }
  }

  public ControlPlaneImages {
    Objects.requireNonNull(version, "version");
    ControlPlaneInputs.requireText("imageRepository", imageRepository);
    Objects.requireNonNull(localEtcd, "localEtcd");
    Objects.requireNonNull(dns, "dns");
  }

  /** kubeadm's GetControlPlaneImages. */
  public List<String> list() {
    List<String> images = new ArrayList<>();
    images.add(
        kubernetes(imageRepository, ControlPlaneComponent.KUBE_APISERVER.podName(), version));
    images.add(
        kubernetes(
            imageRepository, ControlPlaneComponent.KUBE_CONTROLLER_MANAGER.podName(), version));
    images.add(
        kubernetes(imageRepository, ControlPlaneComponent.KUBE_SCHEDULER.podName(), version));
    if (!proxyDisabled) {
      images.add(kubernetes(imageRepository, "kube-proxy", version));
    }
    if (!dnsDisabled) {
      images.add(coreDns(imageRepository, dns, version));
    }
    images.add(pause(imageRepository, version));
    localEtcd.ifPresent(etcd -> images.add(etcd(imageRepository, etcd, version)));
    return List.copyOf(images);
  }

  /** GetKubernetesImage: {@code <repository>/<component>:<version's image tag>}. */
  public static String kubernetes(String repository, String component, KubernetesVersion version) {
    return repository + "/" + component + ":" + version.imageTag();
  }

  /** GetEtcdImage: the local etcd's repository and tag win over the cluster's and the release's. */
  public static String etcd(String repository, ImageOverride etcd, KubernetesVersion version) {
    return etcd.imageRepository().orElse(repository)
        + "/etcd:"
        + etcd.imageTag().orElse(version.kubeadmRelease().etcdImageTag());
  }

  /** GetPauseImage: always from the cluster's repository. */
  public static String pause(String repository, KubernetesVersion version) {
    return repository + "/pause:" + version.kubeadmRelease().pauseImageTag();
  }

  /**
   * GetDNSImage: {@code dns.imageRepository} or the cluster's; the default registry keeps CoreDNS
   * under {@code registry.k8s.io/coredns}; {@code dns.imageTag} or the release's CoreDNS version.
   */
  public static String coreDns(String repository, ImageOverride dns, KubernetesVersion version) {
    String dnsRepository = dns.imageRepository().orElse(repository);
    if (dnsRepository.equals(DEFAULT_REPOSITORY)) {
      dnsRepository = DEFAULT_REPOSITORY + "/coredns";
    }
    return dnsRepository
        + "/coredns:"
        + dns.imageTag().orElse(version.kubeadmRelease().coreDnsImageTag());
  }
}
