package dev.kubeboot.cli.init;

import dev.kubeboot.cli.cluster.CertificateKey;
import dev.kubeboot.cli.config.ComponentConfigs;
import dev.kubeboot.cli.token.BootstrapTokenSpec;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The run data of the API-side phases, settled before any phase runs (a bad token or certificate
 * key is a usage error before anything is written), as kubeadm settles it in its init data.
 *
 * @param kubeconfig the kubeconfig the phases talk to the API server with (admin.conf)
 * @param tokens the bootstrap tokens, defaults applied and missing ones generated
 * @param uploadCerts whether upload-certs uploads ({@code --upload-certs})
 * @param certificateKey the key the certificates are encrypted under; present with uploadCerts
 * @param skipTokenPrint print {@code <value withheld>} instead of tokens
 * @param skipCertificateKeyPrint print {@code <value withheld>} instead of the certificate key
 * @param componentConfigs the user's KubeletConfiguration and KubeProxyConfiguration, if any
 * @param environment kubeboot's environment, for the proxy variables kube-proxy is given
 */
public record ClusterSetup(
    Path kubeconfig,
    List<BootstrapTokenSpec> tokens,
    boolean uploadCerts,
    Optional<CertificateKey> certificateKey,
    boolean skipTokenPrint,
    boolean skipCertificateKeyPrint,
    ComponentConfigs componentConfigs,
    Map<String, String> environment,
    Clock clock,
    SecureRandom random) {
  public ClusterSetup {
    Objects.requireNonNull(kubeconfig, "kubeconfig");
    tokens = List.copyOf(tokens);
    Objects.requireNonNull(certificateKey, "certificateKey");
    if (uploadCerts && certificateKey.isEmpty()) {
      throw new IllegalArgumentException("uploading certificates needs a certificate key");
    }
    Objects.requireNonNull(componentConfigs, "componentConfigs");
    environment = Map.copyOf(environment);
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(random, "random");
  }

  /** The text printed for a secret value: itself, or kubeadm's placeholder. */
  static String shown(String value, boolean withheld) {
    return withheld ? "<value withheld>" : value;
  }
}
