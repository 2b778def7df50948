package dev.kubeboot.cli.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The one place where kubeboot's defaults (kubeadm v1beta4's, DESIGN §2) are applied, after the
 * {@code init} flags, followed by validation. In the result every field that is not an {@code
 * Optional} is set (none is null), so the phases never default anything themselves.
 *
 * <p>Flags win over the config file. kubeadm refuses to mix {@code --config} with most of these
 * flags; kubeboot allows it so that one file can serve several nodes, and a flag given on the
 * command line replaces the file's value (a list flag replaces the whole list).
 *
 * <p>Advertise address: the flag, else {@code localAPIEndpoint.advertiseAddress}, else detected. An
 * unspecified address ({@code 0.0.0.0}, {@code ::}) is replaced by the detected one, as kubeadm
 * does. A loopback address is kept as given (kubeadm would look for a global address on {@code
 * lo}): kubeboot runs single-node clusters on loopback.
 */
public final class ConfigDefaults {
  /**
   * kubeadm resolves {@code stable-1} online; kubeboot never goes online and uses the newest v1.34
   * patch it knows.
   */
  public static final String DEFAULT_KUBERNETES_VERSION = "v1.34.2";

  static final String CERTIFICATES_DIR = "/etc/kubernetes/pki";
  static final String ETCD_DATA_DIR = "/var/lib/etcd";
  static final String SERVICE_SUBNET = "10.96.0.0/12";
  static final String DNS_DOMAIN = "cluster.local";
  static final int BIND_PORT = 6443;
  static final String IMAGE_REPOSITORY = "registry.k8s.io";
  static final String CLUSTER_NAME = "kubernetes";
  static final EncryptionAlgorithm ENCRYPTION_ALGORITHM = EncryptionAlgorithm.RSA_2048;
  static final Duration CERTIFICATE_VALIDITY = Duration.ofHours(8760);
  static final Duration CA_CERTIFICATE_VALIDITY = Duration.ofHours(87600);
  static final String IMAGE_PULL_POLICY = "IfNotPresent";
  static final Timeouts TIMEOUTS =
      new Timeouts(
          Duration.ofMinutes(4),
          Duration.ofMinutes(4),
          Duration.ofMinutes(1),
          Duration.ofMinutes(2),
          Duration.ofMinutes(5),
          Duration.ofMinutes(5),
          Duration.ofMinutes(5));

  private static final Pattern VERSION =
      Pattern.compile("v1\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private final Supplier<String> hostname;
  private final Supplier<InetAddress> advertiseAddress;

  /**
   * @param hostname this machine's host name (the node name default, lower-cased here)
   * @param advertiseAddress detects the advertise address; called only when none is given, e.g.
   *     {@code new AdvertiseAddressDetector()::detect}
   */
  public ConfigDefaults(Supplier<String> hostname, Supplier<InetAddress> advertiseAddress) {
    this.hostname = Objects.requireNonNull(hostname, "hostname");
    this.advertiseAddress = Objects.requireNonNull(advertiseAddress, "advertiseAddress");
  }

  /**
   * Applies the flags over the config, fills every default and validates the result.
   *
   * @throws ConfigException naming the field (and flag) of the first invalid value
   */
  public KubeadmConfig apply(KubeadmConfig config, InitFlags flags) {
    List<String> warnings = new ArrayList<>(config.warnings());
    InitConfiguration init = config.init();
    ClusterConfiguration cluster = config.cluster();

    NodeRegistration reg = init.nodeRegistration();
    String nodeName =
        first(flags.nodeName(), reg.name())
            .orElseGet(() -> hostname.get().trim().toLowerCase(Locale.ROOT));
    check(
        nodeName.length() <= 253 && DNS_SUBDOMAIN.matcher(nodeName).matches(),
        first(flags.nodeName(), reg.name()).isPresent()
            ? field("InitConfiguration.nodeRegistration.name", "--node-name", flags.nodeName())
            : "the node name taken from the host name (set --node-name or"
                + " InitConfiguration.nodeRegistration.name)",
        nodeName,
        "a lower-case RFC 1123 DNS subdomain such as node-1 (it becomes the etcd member name and"
            + " a certificate name)");
    NodeRegistration registration =
        new NodeRegistration(
            nodeName,
            reg.criSocket(),
            reg.taints(),
            reg.kubeletExtraArgs(),
            reg.ignorePreflightErrors(),
            first(reg.imagePullPolicy()).orElse(IMAGE_PULL_POLICY),
            reg.imagePullSerial());

    String advertiseField =
        field(
            "InitConfiguration.localAPIEndpoint.advertiseAddress",
            "--apiserver-advertise-address",
            flags.apiserverAdvertiseAddress());
    String advertise =
        first(flags.apiserverAdvertiseAddress(), init.localAPIEndpoint().advertiseAddress())
            .map(
                text -> {
                  InetAddress ip =
                      IpLiterals.parseIp(text)
                          .orElseThrow(
                              () ->
                                  invalid(advertiseField, text, "an IPv4 or IPv6 address literal"));
                  return ip.isAnyLocalAddress() ? advertiseAddress.get() : ip;
                })
            .map(IpLiterals::format)
            .orElseGet(() -> IpLiterals.format(advertiseAddress.get()));

    int bindPort = init.localAPIEndpoint().bindPort();
    if (flags.apiserverBindPort() != null) {
      bindPort = flags.apiserverBindPort();
    } else if (bindPort == 0) {
      bindPort = BIND_PORT;
    }
    check(
        bindPort >= 1 && bindPort <= 65535,
        field(
            "InitConfiguration.localAPIEndpoint.bindPort",
            "--apiserver-bind-port",
            flags.apiserverBindPort()),
        Integer.toString(bindPort),
        "a port between 1 and 65535");

    Timeouts t = init.timeouts();
    Timeouts timeouts =
        new Timeouts(
            or(t.controlPlaneComponentHealthCheck(), TIMEOUTS.controlPlaneComponentHealthCheck()),
            or(t.kubeletHealthCheck(), TIMEOUTS.kubeletHealthCheck()),
            or(t.kubernetesAPICall(), TIMEOUTS.kubernetesAPICall()),
            or(t.etcdAPICall(), TIMEOUTS.etcdAPICall()),
            or(t.tlsBootstrap(), TIMEOUTS.tlsBootstrap()),
            or(t.discovery(), TIMEOUTS.discovery()),
            or(t.upgradeManifests(), TIMEOUTS.upgradeManifests()));
    positive(
        timeouts.controlPlaneComponentHealthCheck(),
        "InitConfiguration.timeouts.controlPlaneComponentHealthCheck");
    positive(timeouts.kubeletHealthCheck(), "InitConfiguration.timeouts.kubeletHealthCheck");
    positive(timeouts.kubernetesAPICall(), "InitConfiguration.timeouts.kubernetesAPICall");
    positive(timeouts.etcdAPICall(), "InitConfiguration.timeouts.etcdAPICall");

    InitConfiguration defaultedInit =
        new InitConfiguration(
            init.bootstrapTokens(),
            registration,
            new ApiEndpoint(advertise, bindPort),
            init.certificateKey(),
            init.skipPhases(),
            init.patchesDirectory(),
            init.dryRun(),
            timeouts);

    String version =
        normalizeVersion(
            first(flags.kubernetesVersion(), cluster.kubernetesVersion())
                .orElse(DEFAULT_KUBERNETES_VERSION),
            field(
                "ClusterConfiguration.kubernetesVersion",
                "--kubernetes-version",
                flags.kubernetesVersion()));

    Networking net = cluster.networking();
    String serviceSubnet = first(flags.serviceCidr(), net.serviceSubnet()).orElse(SERVICE_SUBNET);
    subnets(
        serviceSubnet,
        field(
            "ClusterConfiguration.networking.serviceSubnet",
            "--service-cidr",
            flags.serviceCidr()));
    Optional<String> podSubnet = first(flags.podNetworkCidr()).or(net::podSubnet);
    podSubnet.ifPresent(
        p ->
            subnets(
                p,
                field(
                    "ClusterConfiguration.networking.podSubnet",
                    "--pod-network-cidr",
                    flags.podNetworkCidr())));
    String dnsDomain = first(flags.serviceDnsDomain(), net.dnsDomain()).orElse(DNS_DOMAIN);
    check(
        DNS_SUBDOMAIN.matcher(dnsDomain).matches(),
        field(
            "ClusterConfiguration.networking.dnsDomain",
            "--service-dns-domain",
            flags.serviceDnsDomain()),
        dnsDomain,
        "a DNS domain such as cluster.local");

    Optional<String> endpoint =
        first(flags.controlPlaneEndpoint()).or(cluster::controlPlaneEndpoint);
    endpoint.ifPresent(
        e ->
            controlPlaneEndpoint(
                e,
                field(
                    "ClusterConfiguration.controlPlaneEndpoint",
                    "--control-plane-endpoint",
                    flags.controlPlaneEndpoint())));

    ApiServer api = cluster.apiServer();
    ApiServer apiServer =
        flags.apiserverCertExtraSans() == null
            ? api
            : new ApiServer(
                api.extraArgs(),
                api.extraVolumes(),
                api.extraEnvs(),
                flags.apiserverCertExtraSans());

    String certificatesDir =
        first(flags.certDir(), cluster.certificatesDir()).orElse(CERTIFICATES_DIR);
    check(
        certificatesDir.startsWith("/"),
        field("ClusterConfiguration.certificatesDir", "--cert-dir", flags.certDir()),
        certificatesDir,
        "an absolute path");

    Etcd etcd =
        switch (cluster.etcd()) {
          case LocalEtcd local -> {
            String dataDir = first(local.dataDir()).orElse(ETCD_DATA_DIR);
            check(
                dataDir.startsWith("/"),
                "ClusterConfiguration.etcd.local.dataDir",
                dataDir,
                "an absolute path");
            yield new LocalEtcd(
                local.imageRepository(),
                local.imageTag(),
                dataDir,
                local.extraArgs(),
                local.extraEnvs(),
                local.serverCertSANs(),
                local.peerCertSANs());
          }
          case ExternalEtcd external -> {
            check(
                !external.endpoints().isEmpty(),
                "ClusterConfiguration.etcd.external.endpoints",
                "[]",
                "at least one etcd endpoint such as https://10.0.0.1:2379");
            yield external;
          }
        };

    Duration leafPeriod = or(cluster.certificateValidityPeriod(), CERTIFICATE_VALIDITY);
    Duration caPeriod = or(cluster.caCertificateValidityPeriod(), CA_CERTIFICATE_VALIDITY);
    positive(leafPeriod, "ClusterConfiguration.certificateValidityPeriod");
    positive(caPeriod, "ClusterConfiguration.caCertificateValidityPeriod");
    if (leafPeriod.compareTo(caPeriod) > 0) {
      warnings.add(
          "ClusterConfiguration.certificateValidityPeriod ("
              + GoDuration.format(leafPeriod)
              + ") is longer than caCertificateValidityPeriod ("
              + GoDuration.format(caPeriod)
              + "): certificates will outlive the CA that signed them");
    }

    ClusterConfiguration defaultedCluster =
        new ClusterConfiguration(
            etcd,
            new Networking(serviceSubnet, podSubnet, dnsDomain),
            version,
            endpoint,
            apiServer,
            cluster.controllerManager(),
            cluster.scheduler(),
            cluster.dns(),
            cluster.proxy(),
            certificatesDir,
            first(flags.imageRepository(), cluster.imageRepository()).orElse(IMAGE_REPOSITORY),
            cluster.featureGates(),
            first(cluster.clusterName()).orElse(CLUSTER_NAME),
            Objects.requireNonNullElse(cluster.encryptionAlgorithm(), ENCRYPTION_ALGORITHM),
            leafPeriod,
            caPeriod);
    return new KubeadmConfig(
        defaultedInit,
        defaultedCluster,
        config.staticPodPath(),
        config.fileCheckFrequency(),
        warnings);
  }

  /**
   * kubeadm accepts {@code 1.34.0} for {@code v1.34.0} (its own {@code config print} writes the
   * former); labels such as {@code stable-1} need the network, which kubeboot never uses.
   */
  private static String normalizeVersion(String version, String fieldName) {
    String v = version.startsWith("1.") ? "v" + version : version;
    if (!VERSION.matcher(v).matches()) {
      throw invalid(
          fieldName,
          version,
          "a Kubernetes release such as "
              + DEFAULT_KUBERNETES_VERSION
              + " (kubeboot resolves no labels like stable-1 or latest: it never goes online)");
    }
    return v;
  }

  private static void subnets(String value, String fieldName) {
    String[] parts = value.split(",", -1);
    check(
        parts.length <= 2,
        fieldName,
        value,
        "one CIDR, or two (IPv4 and IPv6) separated by a comma");
    for (String part : parts) {
      check(IpLiterals.isCidr(part.trim()), fieldName, value, "a CIDR such as 10.96.0.0/12");
    }
  }

  private static void controlPlaneEndpoint(String value, String fieldName) {
    String host = value;
    String port = null;
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      check(close > 0, fieldName, value, "host[:port] with an IPv6 host in brackets");
      host = value.substring(1, close);
      String rest = value.substring(close + 1);
      if (!rest.isEmpty()) {
        check(rest.startsWith(":"), fieldName, value, "host[:port]");
        port = rest.substring(1);
      }
    } else if (value.chars().filter(c -> c == ':').count() == 1) {
      host = value.substring(0, value.indexOf(':'));
      port = value.substring(value.indexOf(':') + 1);
    }
    boolean hostOk =
        IpLiterals.parseIp(host).isPresent()
            || DNS_SUBDOMAIN.matcher(host.toLowerCase(Locale.ROOT)).matches();
    check(hostOk, fieldName, value, "an IP address or DNS name, with an optional :port");
    if (port != null) {
      boolean portOk =
          port.matches("\\d{1,5}")
              && Integer.parseInt(port) >= 1
              && Integer.parseInt(port) <= 65535;
      check(portOk, fieldName, value, "a port between 1 and 65535 after the colon");
    }
  }

  private static void positive(Duration d, String fieldName) {
    check(!d.isNegative() && !d.isZero(), fieldName, GoDuration.format(d), "a positive duration");
  }

  private static String field(String path, String flag, Object flagValue) {
    return flagValue == null ? path : flag;
  }

  private static void check(boolean ok, String fieldName, String value, String expected) {
    if (!ok) {
      throw invalid(fieldName, value, expected);
    }
  }

  private static ConfigException invalid(String fieldName, String value, String expected) {
    return new ConfigException(
        fieldName + ": invalid value \"" + value + "\"; expected " + expected);
  }

  private static Optional<String> first(String... candidates) {
    for (String candidate : candidates) {
      if (candidate != null && !candidate.isEmpty()) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static Duration or(Duration value, Duration fallback) {
    return value == null ? fallback : value;
  }
}
