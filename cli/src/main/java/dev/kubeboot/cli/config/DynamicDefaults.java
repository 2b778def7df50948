package dev.kubeboot.cli.config;

import dev.kubeboot.templates.KubernetesVersion;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * kubeadm's dynamic defaults (util/config/initconfiguration.go {@code SetInitDynamicDefaults}):
 * what depends on this machine or on other fields, applied after the static defaults.
 *
 * <ul>
 *   <li>Bootstrap tokens without a token get a random one ({@code abcdef.0123456789abcdef} shape).
 *   <li>The node name: given, else the host name; trimmed and lower-cased as the kubelet's
 *       GetHostname does (with a warning when that changed a given name); no taints at all means
 *       the control-plane taint.
 *   <li>The advertise address: given, else detected; an unspecified one ({@code 0.0.0.0}, {@code
 *       ::}) is replaced by the detected one. kubeboot keeps a loopback address as given (kubeadm
 *       would look for a global address on {@code lo}): single-node clusters on loopback.
 *   <li>The Kubernetes version gets its leading {@code v}; a control-plane endpoint without a port
 *       gets the bind port; {@code apiServer.certSANs} are lower-cased (LowercaseSANs: load
 *       balancer names such as AWS ELBs have capitals).
 * </ul>
 */
final class DynamicDefaults {
  static final Taint CONTROL_PLANE_TAINT =
      new Taint(
          "node-role.kubernetes.io/control-plane",
          java.util.Optional.empty(),
          "NoSchedule",
          java.util.Optional.empty());
  private static final String TOKEN_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz";

  private final Supplier<String> hostname;
  private final Supplier<InetAddress> advertiseAddress;
  private final SecureRandom random;

  DynamicDefaults(
      Supplier<String> hostname, Supplier<InetAddress> advertiseAddress, SecureRandom random) {
    this.hostname = Objects.requireNonNull(hostname, "hostname");
    this.advertiseAddress = Objects.requireNonNull(advertiseAddress, "advertiseAddress");
    this.random = Objects.requireNonNull(random, "random");
  }

  KubeadmConfig apply(KubeadmConfig config, Consumer<String> warnings) {
    InitConfiguration init = config.init();
    init =
        init.withBootstrapTokens(bootstrapTokens(init.bootstrapTokens()))
            .withNodeRegistration(nodeRegistration(init.nodeRegistration(), warnings))
            .withLocalAPIEndpoint(apiEndpoint(init.localAPIEndpoint()));
    return config.with(init, cluster(config.cluster(), init.localAPIEndpoint()));
  }

  /** SetBootstrapTokensDynamicDefaults. */
  List<BootstrapToken> bootstrapTokens(List<BootstrapToken> tokens) {
    return tokens.stream().map(t -> t.token().isPresent() ? t : t.withToken(newToken())).toList();
  }

  /** SetNodeRegistrationDynamicDefaults: name, and the control-plane taint when none is given. */
  NodeRegistration nodeRegistration(NodeRegistration r, Consumer<String> warnings) {
    String given = r.name() != null ? r.name() : hostname.get();
    String name = given.trim().toLowerCase(Locale.ROOT);
    if (r.name() != null && !name.equals(given.trim())) {
      warnings.accept(
          "the node name \""
              + given.trim()
              + "\" is lower-cased to \""
              + name
              + "\", as kubeadm and the kubelet do (Kubernetes object names are lower case)");
    }
    NodeRegistration named = r.withName(name);
    return r.taints().isPresent() ? named : named.withTaints(List.of(CONTROL_PLANE_TAINT));
  }

  /** SetAPIEndpointDynamicDefaults (kubeboot keeps loopback, see the class comment). */
  ApiEndpoint apiEndpoint(ApiEndpoint e) {
    InetAddress address = e.advertiseAddress();
    if (address == null || address.isAnyLocalAddress()) {
      return e.withAdvertiseAddress(advertiseAddress.get());
    }
    return e;
  }

  /** SetClusterDynamicDefaults. */
  static ClusterConfiguration cluster(ClusterConfiguration c, ApiEndpoint endpoint) {
    ClusterConfiguration.Builder b = c.toBuilder();
    KubernetesVersion version = c.kubernetesVersion();
    b.kubernetesVersion = version == null ? null : version.normalized();
    b.controlPlaneEndpoint =
        c.controlPlaneEndpoint().map(e -> e.withDefaultPort(endpoint.bindPort()));
    b.apiServer =
        c.apiServer()
            .withCertSANs(
                c.apiServer().certSANs().stream().map(s -> s.toLowerCase(Locale.ROOT)).toList());
    return b.build();
  }

  /** bootstraputil.GenerateBootstrapToken: 6 and 16 characters of [a-z0-9]. */
  private String newToken() {
    return randomChars(6) + "." + randomChars(16);
  }

  private String randomChars(int n) {
    StringBuilder out = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      out.append(TOKEN_CHARS.charAt(random.nextInt(TOKEN_CHARS.length())));
    }
    return out.toString();
  }
}
