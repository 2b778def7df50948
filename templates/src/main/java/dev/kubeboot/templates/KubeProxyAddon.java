package dev.kubeboot.templates;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What kubeadm's kube-proxy addon is made of for one cluster.
 *
 * @param image {@code <imageRepository>/kube-proxy:<kubernetesVersion>}, see {@link #image}
 * @param controlPlaneEndpoint the API server URL kube-proxy talks to, e.g. {@code
 *     https://10.0.0.1:6443}
 * @param kubeProxyConfiguration the {@code KubeProxyConfiguration} document, as the ConfigMap's
 *     {@code config.conf} carries it
 * @param proxyEnv the {@code *_proxy} variables of kubeboot's environment, passed on to the
 *     DaemonSet's container as kubeadm does
 */
public record KubeProxyAddon(
    String image,
    String controlPlaneEndpoint,
    String kubeProxyConfiguration,
    List<EnvVar> proxyEnv) {
  public KubeProxyAddon {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(kubeProxyConfiguration, "kubeProxyConfiguration");
    proxyEnv = List.copyOf(proxyEnv);
    // Lands as raw text inside the kubeconfig.conf literal block.
    if (controlPlaneEndpoint == null || !controlPlaneEndpoint.matches("https://[^\\s]+")) {
      throw new InvalidInputException(
          "controlPlaneEndpoint",
          String.valueOf(controlPlaneEndpoint),
          "expected an https:// URL such as https://10.0.0.1:6443");
    }
  }

  /** The addon for this environment: its non-empty {@code *_proxy} variables, sorted by name. */
  public static KubeProxyAddon of(
      String image,
      String controlPlaneEndpoint,
      String kubeProxyConfiguration,
      Map<String, String> environment) {
    return new KubeProxyAddon(
        image,
        controlPlaneEndpoint,
        kubeProxyConfiguration,
        EnvVars.merge(EnvVars.proxyVariables(environment)));
  }

  /** kubeadm's kube-proxy image: the control-plane repository and the Kubernetes version. */
  public static String image(KubernetesVersion kubernetes, String imageRepository) {
    return imageRepository + "/kube-proxy:" + kubernetes.imageTag();
  }

  /** The configuration's lines, for the ConfigMap's literal block (its final newline dropped). */
  public List<String> configLines() {
    String text = kubeProxyConfiguration;
    while (text.endsWith("\n")) {
      text = text.substring(0, text.length() - 1);
    }
    return List.of(text.split("\n", -1));
  }
}
