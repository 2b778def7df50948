package dev.kubeboot.templates;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Everything the control-plane manifests depend on, already defaulted the kubeadm way; the CLI maps
 * InitConfiguration/ClusterConfiguration onto it. Build one with {@link #builder}.
 *
 * @param advertiseAddress {@code localAPIEndpoint.advertiseAddress}, already parsed
 * @param podSubnet {@code networking.podSubnet}, null when none
 * @param proxyEnv the process environment kubeadm would copy from; only non-empty {@code *_proxy}
 *     variables (any case) are used, so passing {@code System.getenv()} is fine
 * @param hostDirExists tells whether a host directory exists; decides which optional CA certificate
 *     directories are mounted
 * @param externalCa true when ca.crt exists without ca.key: the controller-manager gets empty
 *     cluster-signing flags, as kubeadm does
 */
public record ControlPlaneInputs(
    KubernetesVersion version,
    String imageRepository,
    String imagePullPolicy,
    String nodeName,
    InetAddress advertiseAddress,
    int bindPort,
    String certificatesDir,
    String kubeconfigDir,
    String serviceSubnet,
    String podSubnet,
    String dnsDomain,
    String clusterName,
    ComponentConfig apiServer,
    ComponentConfig controllerManager,
    ComponentConfig scheduler,
    Etcd etcd,
    Duration controlPlaneComponentHealthCheck,
    Map<String, String> proxyEnv,
    Predicate<Path> hostDirExists,
    boolean externalCa) {

  public static final String DEFAULT_IMAGE_REPOSITORY = "registry.k8s.io";
  public static final String DEFAULT_IMAGE_PULL_POLICY = "IfNotPresent";
  public static final int DEFAULT_BIND_PORT = 6443;
  public static final String DEFAULT_CERTIFICATES_DIR = "/etc/kubernetes/pki";
  public static final String DEFAULT_KUBECONFIG_DIR = "/etc/kubernetes";
  public static final String DEFAULT_SERVICE_SUBNET = "10.96.0.0/12";
  public static final String DEFAULT_DNS_DOMAIN = "cluster.local";
  public static final String DEFAULT_CLUSTER_NAME = "kubernetes";
  public static final Duration DEFAULT_CONTROL_PLANE_COMPONENT_HEALTH_CHECK = Duration.ofMinutes(4);

  public ControlPlaneInputs {
    Objects.requireNonNull(version, "kubernetesVersion");
    version.requireSupported();
    requireText("imageRepository", imageRepository);
    requireText("nodeRegistration.imagePullPolicy", imagePullPolicy);
    requireText("nodeRegistration.name", nodeName);
    Objects.requireNonNull(advertiseAddress, "localAPIEndpoint.advertiseAddress");
    if (bindPort < 1 || bindPort > 65535) {
      throw new InvalidInputException(
          "localAPIEndpoint.bindPort", Integer.toString(bindPort), "use a port in 1..65535");
    }
    requireText("certificatesDir", certificatesDir);
    requireText("kubeconfigDir", kubeconfigDir);
    requireText("networking.serviceSubnet", serviceSubnet);
    if (podSubnet != null && podSubnet.isBlank()) {
      podSubnet = null;
    }
    requireText("networking.dnsDomain", dnsDomain);
    requireText("clusterName", clusterName);
    Objects.requireNonNull(apiServer, "apiServer");
    Objects.requireNonNull(controllerManager, "controllerManager");
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(etcd, "etcd");
    Objects.requireNonNull(
        controlPlaneComponentHealthCheck, "timeouts.controlPlaneComponentHealthCheck");
    if (controlPlaneComponentHealthCheck.isNegative()
        || controlPlaneComponentHealthCheck.isZero()) {
      throw new InvalidInputException(
          "timeouts.controlPlaneComponentHealthCheck",
          controlPlaneComponentHealthCheck.toString(),
          "must be positive, e.g. 4m0s");
    }
    proxyEnv = Map.copyOf(Objects.requireNonNull(proxyEnv, "proxyEnv"));
    Objects.requireNonNull(hostDirExists, "hostDirExists");
  }

  /** The facts of the kubeadm release that renders {@link #version}. */
  public KubeadmRelease release() {
    return version.kubeadmRelease();
  }

  /** The advertise address as kubeadm writes it. */
  String advertiseText() {
    return IpText.format(advertiseAddress);
  }

  static void requireText(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidInputException(field, String.valueOf(value), "a value is required");
    }
  }

  /** A builder with kubeadm v1beta4's defaults (DESIGN §2) for everything not given. */
  public static Builder builder(
      KubernetesVersion version, String nodeName, InetAddress advertiseAddress) {
    return new Builder(version, nodeName, advertiseAddress);
  }

  /** A copy of these inputs to change a few fields. */
  public Builder toBuilder() {
    Builder b = new Builder(version, nodeName, advertiseAddress);
    b.imageRepository = imageRepository;
    b.imagePullPolicy = imagePullPolicy;
    b.bindPort = bindPort;
    b.certificatesDir = certificatesDir;
    b.kubeconfigDir = kubeconfigDir;
    b.serviceSubnet = serviceSubnet;
    b.podSubnet = podSubnet;
    b.dnsDomain = dnsDomain;
    b.clusterName = clusterName;
    b.apiServer = apiServer;
    b.controllerManager = controllerManager;
    b.scheduler = scheduler;
    b.etcd = etcd;
    b.controlPlaneComponentHealthCheck = controlPlaneComponentHealthCheck;
    b.proxyEnv = proxyEnv;
    b.hostDirExists = hostDirExists;
    b.externalCa = externalCa;
    return b;
  }

  /** Fills kubeadm's defaults; every setter replaces one field. */
  public static final class Builder {
    private KubernetesVersion version;
    private String nodeName;
    private InetAddress advertiseAddress;
    private String imageRepository = DEFAULT_IMAGE_REPOSITORY;
    private String imagePullPolicy = DEFAULT_IMAGE_PULL_POLICY;
    private int bindPort = DEFAULT_BIND_PORT;
    private String certificatesDir = DEFAULT_CERTIFICATES_DIR;
    private String kubeconfigDir = DEFAULT_KUBECONFIG_DIR;
    private String serviceSubnet = DEFAULT_SERVICE_SUBNET;
    private String podSubnet;
    private String dnsDomain = DEFAULT_DNS_DOMAIN;
    private String clusterName = DEFAULT_CLUSTER_NAME;
    private ComponentConfig apiServer = ComponentConfig.NONE;
    private ComponentConfig controllerManager = ComponentConfig.NONE;
    private ComponentConfig scheduler = ComponentConfig.NONE;
    private Etcd etcd = LocalEtcd.defaults();
    private Duration controlPlaneComponentHealthCheck =
        DEFAULT_CONTROL_PLANE_COMPONENT_HEALTH_CHECK;
    private Map<String, String> proxyEnv = Map.of();
    private Predicate<Path> hostDirExists = Files::isDirectory;
    private boolean externalCa;

    private Builder(KubernetesVersion version, String nodeName, InetAddress advertiseAddress) {
      this.version = version;
      this.nodeName = nodeName;
      this.advertiseAddress = advertiseAddress;
    }

    public Builder version(KubernetesVersion v) {
      this.version = v;
      return this;
    }

    public Builder nodeName(String v) {
      this.nodeName = v;
      return this;
    }

    public Builder advertiseAddress(InetAddress v) {
      this.advertiseAddress = v;
      return this;
    }

    public Builder imageRepository(String v) {
      this.imageRepository = v;
      return this;
    }

    public Builder imagePullPolicy(String v) {
      this.imagePullPolicy = v;
      return this;
    }

    public Builder bindPort(int v) {
      this.bindPort = v;
      return this;
    }

    public Builder certificatesDir(String v) {
      this.certificatesDir = v;
      return this;
    }

    public Builder kubeconfigDir(String v) {
      this.kubeconfigDir = v;
      return this;
    }

    public Builder serviceSubnet(String v) {
      this.serviceSubnet = v;
      return this;
    }

    public Builder podSubnet(String v) {
      this.podSubnet = v;
      return this;
    }

    public Builder dnsDomain(String v) {
      this.dnsDomain = v;
      return this;
    }

    public Builder clusterName(String v) {
      this.clusterName = v;
      return this;
    }

    public Builder apiServer(ComponentConfig v) {
      this.apiServer = v;
      return this;
    }

    public Builder controllerManager(ComponentConfig v) {
      this.controllerManager = v;
      return this;
    }

    public Builder scheduler(ComponentConfig v) {
      this.scheduler = v;
      return this;
    }

    public Builder etcd(Etcd v) {
      this.etcd = v;
      return this;
    }

    public Builder controlPlaneComponentHealthCheck(Duration v) {
      this.controlPlaneComponentHealthCheck = v;
      return this;
    }

    public Builder proxyEnv(Map<String, String> v) {
      this.proxyEnv = v;
      return this;
    }

    public Builder hostDirExists(Predicate<Path> v) {
      this.hostDirExists = v;
      return this;
    }

    public Builder externalCa(boolean v) {
      this.externalCa = v;
      return this;
    }

    public ControlPlaneInputs build() {
      return new ControlPlaneInputs(
          version,
          imageRepository,
          imagePullPolicy,
          nodeName,
          advertiseAddress,
          bindPort,
          certificatesDir,
          kubeconfigDir,
          serviceSubnet,
          podSubnet,
          dnsDomain,
          clusterName,
          apiServer,
          controllerManager,
          scheduler,
          etcd,
          controlPlaneComponentHealthCheck,
          proxyEnv,
          hostDirExists,
          externalCa);
    }
  }
}
