package dev.kubeboot.cli.config;

import dev.kubeboot.runner.runtime.LogRotation;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns what was read and given into the configuration init uses, in kubeadm's order: the flags
 * ({@link FlagOverlay}), kubeadm's static defaults ({@link StaticDefaults}), its dynamic defaults
 * ({@link DynamicDefaults}), then validation ({@link ConfigValidation}), which reports every error
 * at once. In the result every field that is not an {@code Optional} is set, so the phases never
 * default anything themselves.
 */
public final class InitConfigLoader {
  private final NodePaths paths;
  private final DynamicDefaults dynamic;

  /**
   * @param paths where files go unless the config says otherwise
   * @param hostname this machine's host name (the node name default)
   * @param advertiseAddress detects the advertise address; called only when none is given
   */
  public InitConfigLoader(
      NodePaths paths, Supplier<String> hostname, Supplier<InetAddress> advertiseAddress) {
    this.paths = Objects.requireNonNull(paths, "paths");
    this.dynamic = new DynamicDefaults(hostname, advertiseAddress, new SecureRandom());
  }

  /**
   * @throws ConfigException naming every invalid value, with where it came from
   */
  public KubeadmConfig resolve(KubeadmConfig read, InitFlags flags) {
    List<String> warnings = new ArrayList<>(read.warnings());
    KubeadmConfig config = FlagOverlay.apply(read, flags);
    config = new StaticDefaults(paths).apply(config);
    config = dynamic.apply(config, warnings::add);
    ConfigValidation.validate(config, paths, warnings::add);
    return config.withWarnings(warnings);
  }

  /**
   * The configuration of a node joining the control plane: the cluster's own ClusterConfiguration
   * (as kubeadm-config holds it) with this node's registration, API endpoint, certificate key and
   * timeouts from the JoinConfiguration, then the flags, then the same defaults and validation as
   * init.
   *
   * @param nodeLocalPaths true when this node keeps its files under its own kubernetes directory:
   *     the certificate and etcd data directories are then this node's, not the ones the cluster
   *     configuration names for the first node
   */
  public KubeadmConfig resolveJoin(
      ClusterConfiguration cluster,
      JoinConfiguration join,
      InitFlags flags,
      boolean nodeLocalPaths) {
    ClusterConfiguration ours = cluster;
    if (nodeLocalPaths) {
      var b = cluster.toBuilder();
      b.certificatesDir = null;
      if (cluster.etcd() instanceof LocalEtcd local) {
        b.etcd = local.withDataDir(null);
      }
      ours = b.build();
    }
    var endpoint =
        join.controlPlane()
            .map(JoinConfiguration.ControlPlane::localAPIEndpoint)
            .orElse(ApiEndpoint.unset());
    var init =
        new InitConfiguration(
            List.of(),
            join.nodeRegistration(),
            endpoint,
            join.controlPlane().flatMap(JoinConfiguration.ControlPlane::certificateKey),
            join.skipPhases(),
            Optional.empty(),
            join.dryRun(),
            join.effectiveTimeouts());
    var read =
        new KubeadmConfig(
            init,
            ours,
            Optional.empty(),
            Optional.empty(),
            LogRotation.DEFAULT,
            Optional.empty(),
            java.util.Map.of(),
            List.of());
    return resolve(read, flags);
  }

  /**
   * What {@code kubeadm config print init-defaults} prints: the static defaults over kubeadm's
   * placeholders (DefaultedStaticInitConfiguration), without anything taken from this machine.
   */
  public static KubeadmConfig printedDefaults() {
    KubeadmConfig placeholders = InitDefaultsPrinter.placeholders();
    return new StaticDefaults(NodePaths.standard()).apply(placeholders);
  }
}
