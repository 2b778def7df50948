package dev.kubeboot.cli.config;

import dev.kubeboot.templates.KubernetesVersion;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * kubeadm's static defaults (apis/kubeadm/v1beta4/defaults.go and bootstraptoken/v1), one function
 * per type as kubeadm's {@code SetDefaults_*}: each fills the fields its type leaves unset and
 * calls the function of the types it holds. Values that depend on the machine come later ({@link
 * DynamicDefaults}). kubeboot's differences: the Kubernetes version defaults to the newest v1.34
 * patch kubeboot knows (kubeadm resolves {@code stable-1} online), and paths follow {@link
 * NodePaths} (kubeadm's own unless {@code --kubernetes-dir} moves them).
 */
final class StaticDefaults {
  static final String SERVICE_SUBNET = "10.96.0.0/12";
  static final String DNS_DOMAIN = "cluster.local";
  static final int BIND_PORT = 6443;
  static final String IMAGE_REPOSITORY = "registry.k8s.io";
  static final String CLUSTER_NAME = "kubernetes";
  static final String IMAGE_PULL_POLICY = "IfNotPresent";
  static final EncryptionAlgorithm ENCRYPTION_ALGORITHM = EncryptionAlgorithm.RSA_2048;
  static final Duration CERTIFICATE_VALIDITY = Duration.ofHours(8760);
  static final Duration CA_CERTIFICATE_VALIDITY = Duration.ofHours(87600);
  static final Duration TOKEN_TTL = Duration.ofHours(24);
  static final List<String> TOKEN_USAGES = List.of("signing", "authentication");
  static final List<String> TOKEN_GROUPS =
      List.of("system:bootstrappers:kubeadm:default-node-token");

  private final NodePaths paths;

  StaticDefaults(NodePaths paths) {
    this.paths = Objects.requireNonNull(paths, "paths");
  }

  KubeadmConfig apply(KubeadmConfig config) {
    return config.with(initConfiguration(config.init()), clusterConfiguration(config.cluster()));
  }

  /** SetDefaults_InitConfiguration. */
  static InitConfiguration initConfiguration(InitConfiguration c) {
    return c.withBootstrapTokens(bootstrapTokens(c.bootstrapTokens()))
        .withLocalAPIEndpoint(apiEndpoint(c.localAPIEndpoint()))
        .withNodeRegistration(nodeRegistration(c.nodeRegistration()))
        .withTimeouts(timeouts(c.timeouts()));
  }

  /** SetDefaults_BootstrapTokens: one token when none is given; the token itself stays unset. */
  static List<BootstrapToken> bootstrapTokens(List<BootstrapToken> tokens) {
    List<BootstrapToken> given = tokens.isEmpty() ? List.of(BootstrapToken.unset()) : tokens;
    return given.stream().map(StaticDefaults::bootstrapToken).toList();
  }

  /** bootstraptoken/v1 SetDefaults_BootstrapToken: ttl 24h, usages and groups when unset. */
  static BootstrapToken bootstrapToken(BootstrapToken token) {
    return token.withDefaults(TOKEN_TTL, TOKEN_USAGES, TOKEN_GROUPS);
  }

  /** SetDefaults_APIEndpoint. */
  static ApiEndpoint apiEndpoint(ApiEndpoint e) {
    return e.bindPort() == 0 ? e.withBindPort(BIND_PORT) : e;
  }

  /** SetDefaults_NodeRegistration: imagePullPolicy IfNotPresent, imagePullSerial true. */
  static NodeRegistration nodeRegistration(NodeRegistration r) {
    return r.withImagePull(
        r.imagePullPolicy() == null ? IMAGE_PULL_POLICY : r.imagePullPolicy(),
        r.imagePullSerial().orElse(true));
  }

  /** SetDefaults_Timeouts (constants.go: 4m, 4m, 1m, 2m, 5m, 5m, 5m). */
  static Timeouts timeouts(Timeouts t) {
    return new Timeouts(
        or(t.controlPlaneComponentHealthCheck(), Duration.ofMinutes(4)),
        or(t.kubeletHealthCheck(), Duration.ofMinutes(4)),
        or(t.kubernetesAPICall(), Duration.ofMinutes(1)),
        or(t.etcdAPICall(), Duration.ofMinutes(2)),
        or(t.tlsBootstrap(), Duration.ofMinutes(5)),
        or(t.discovery(), Duration.ofMinutes(5)),
        or(t.upgradeManifests(), Duration.ofMinutes(5)));
  }

  /** SetDefaults_ClusterConfiguration. */
  ClusterConfiguration clusterConfiguration(ClusterConfiguration c) {
    ClusterConfiguration.Builder b = c.toBuilder();
    b.kubernetesVersion = or(c.kubernetesVersion(), KubernetesVersion.DEFAULT);
    b.networking = networking(c.networking());
    b.certificatesDir = or(c.certificatesDir(), paths.certificatesDir());
    b.imageRepository = or(c.imageRepository(), IMAGE_REPOSITORY);
    b.clusterName = or(c.clusterName(), CLUSTER_NAME);
    b.encryptionAlgorithm = or(c.encryptionAlgorithm(), ENCRYPTION_ALGORITHM);
    b.certificateValidityPeriod = or(c.certificateValidityPeriod(), CERTIFICATE_VALIDITY);
    b.caCertificateValidityPeriod = or(c.caCertificateValidityPeriod(), CA_CERTIFICATE_VALIDITY);
    b.etcd = etcd(c.etcd());
    return b.build();
  }

  /** The networking part of SetDefaults_ClusterConfiguration. */
  static Networking networking(Networking n) {
    return new Networking(
        or(n.serviceSubnet(), SERVICE_SUBNET), n.podSubnet(), or(n.dnsDomain(), DNS_DOMAIN));
  }

  /** SetDefaults_Etcd: local etcd when neither is given, its data dir. */
  Etcd etcd(Etcd etcd) {
    return switch (etcd) {
      case LocalEtcd local ->
          local.dataDir() == null ? local.withDataDir(paths.etcdDataDir()) : local;
      case ExternalEtcd external -> external;
    };
  }

  private static <T> T or(T value, T fallback) {
    return value == null ? fallback : value;
  }
}
