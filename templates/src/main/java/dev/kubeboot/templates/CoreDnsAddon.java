package dev.kubeboot.templates;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What kubeadm's CoreDNS addon is made of for one cluster.
 *
 * @param image the CoreDNS image, see {@link #image}
 * @param replicas the Deployment's replicas: 2, or the count of the Deployment already there
 * @param dnsDomain the cluster DNS domain ({@code networking.dnsDomain})
 * @param dnsIp the {@code kube-dns} Service's clusterIP: the 10th address of the service subnet
 * @param controlPlaneTaintKey the control-plane taint the Deployment tolerates
 */
public record CoreDnsAddon(
    String image, int replicas, String dnsDomain, String dnsIp, String controlPlaneTaintKey) {
  /** kubeadm's replicas for a new CoreDNS Deployment. */
  public static final int DEFAULT_REPLICAS = 2;

  private static final Pattern DNS_DOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern IP = Pattern.compile("[0-9a-fA-F:.]+");

  public CoreDnsAddon {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(controlPlaneTaintKey, "controlPlaneTaintKey");
    if (replicas < 0) {
      throw new InvalidInputException(
          "coredns replicas", Integer.toString(replicas), "must not be negative");
    }
    // Both land inside the Corefile and the Service as raw text: only their own characters.
    if (dnsDomain == null || !DNS_DOMAIN.matcher(dnsDomain).matches()) {
      throw new InvalidInputException(
          "networking.dnsDomain",
          String.valueOf(dnsDomain),
          "expected a DNS domain such as cluster.local");
    }
    if (dnsIp == null || !IP.matcher(dnsIp).matches()) {
      throw new InvalidInputException(
          "kube-dns clusterIP", String.valueOf(dnsIp), "expected an IP address such as 10.96.0.10");
    }
  }

  /**
   * kubeadm's CoreDNS image: {@code dns.imageRepository} or the cluster's {@code imageRepository}
   * (for the default {@code registry.k8s.io}, its {@code coredns} sub-repository), name {@code
   * coredns}, tag {@code dns.imageTag} or the CoreDNS release of that Kubernetes minor.
   */
  public static String image(
      KubernetesVersion kubernetes,
      String imageRepository,
      Optional<String> dnsImageRepository,
      Optional<String> dnsImageTag) {
    String repository =
        dnsImageRepository.orElse(
            imageRepository.equals(DEFAULT_REPOSITORY)
                ? DEFAULT_REPOSITORY + "/coredns"
                : imageRepository);
    return repository + "/coredns:" + dnsImageTag.orElse(coreDnsVersion(kubernetes));
  }

  static final String DEFAULT_REPOSITORY = "registry.k8s.io";

  /**
   * The CoreDNS release kubeadm of that minor deploys (constants.CoreDNSVersion): v1.11.3 for 1.31
   * and 1.32, v1.12.0 for 1.33, v1.12.1 for 1.34.
   */
  public static String coreDnsVersion(KubernetesVersion kubernetes) {
    kubernetes.requireSupported();
    if (kubernetes.isAtLeast(1, 34)) {
      return "v1.12.1";
    }
    return kubernetes.isAtLeast(1, 33) ? "v1.12.0" : "v1.11.3";
  }
}
