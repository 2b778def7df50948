package dev.kubeboot.cli.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of kubeadm's config types in each API version kubeboot reads (kubeadm's
 * apis/kubeadm/v1beta4/types.go and v1beta3/types.go), as a tree the reader checks a document
 * against before decoding it.
 */
final class KubeadmSchema {
  /** What may stand at a place of a document. */
  sealed interface Shape permits Struct, ListOf, FreeMap, Scalar {}

  /** A mapping with these fields, in kubeadm's order. */
  record Struct(Map<String, Shape> fields) implements Shape {}

  /** A list whose items all have one shape. */
  record ListOf(Shape item) implements Shape {}

  /** A mapping of free-form names to scalars (featureGates, v1beta3 extraArgs). */
  record FreeMap() implements Shape {}

  /** A single value; its type is checked when it is decoded. */
  record Scalar() implements Shape {}

  /** The two kubeadm API versions kubeboot reads. */
  enum Version {
    V1BETA3("kubeadm.k8s.io/v1beta3"),
    V1BETA4("kubeadm.k8s.io/v1beta4");

    final String apiVersion;

    Version(String apiVersion) {
      this.apiVersion = apiVersion;
    }

    Version other() {
      return this == V1BETA3 ? V1BETA4 : V1BETA3;
    }
  }

  private static final Scalar SCALAR = new Scalar();
  private static final FreeMap FREE_MAP = new FreeMap();
  private static final ListOf STRINGS = new ListOf(SCALAR);

  private static final Struct ARG = struct("name", SCALAR, "value", SCALAR);
  private static final Struct ENV = struct("name", SCALAR, "value", SCALAR, "valueFrom", SCALAR);
  private static final Struct MOUNT =
      struct(
          "name",
          SCALAR,
          "hostPath",
          SCALAR,
          "mountPath",
          SCALAR,
          "readOnly",
          SCALAR,
          "pathType",
          SCALAR);
  private static final Struct TOKEN =
      struct(
          "token",
          SCALAR,
          "description",
          SCALAR,
          "ttl",
          SCALAR,
          "expires",
          SCALAR,
          "usages",
          STRINGS,
          "groups",
          STRINGS);
  private static final Struct TAINT =
      struct("key", SCALAR, "value", SCALAR, "effect", SCALAR, "timeAdded", SCALAR);
  private static final Struct API_ENDPOINT = struct("advertiseAddress", SCALAR, "bindPort", SCALAR);
  private static final Struct TIMEOUTS =
      struct(
          "controlPlaneComponentHealthCheck", SCALAR,
          "kubeletHealthCheck", SCALAR,
          "kubernetesAPICall", SCALAR,
          "etcdAPICall", SCALAR,
          "tlsBootstrap", SCALAR,
          "discovery", SCALAR,
          "upgradeManifests", SCALAR);
  private static final Struct EXTERNAL_ETCD =
      struct("endpoints", STRINGS, "caFile", SCALAR, "certFile", SCALAR, "keyFile", SCALAR);
  private static final Struct NETWORKING =
      struct("serviceSubnet", SCALAR, "podSubnet", SCALAR, "dnsDomain", SCALAR);

  private KubeadmSchema() {}

  /** The InitConfiguration of a version. */
  static Struct initConfiguration(Version v) {
    boolean v4 = v == Version.V1BETA4;
    Map<String, Shape> f = new LinkedHashMap<>();
    f.put("apiVersion", SCALAR);
    f.put("kind", SCALAR);
    f.put("bootstrapTokens", new ListOf(TOKEN));
    if (v4) {
      f.put("dryRun", SCALAR);
    }
    f.put("nodeRegistration", nodeRegistration(v));
    f.put("localAPIEndpoint", API_ENDPOINT);
    f.put("certificateKey", SCALAR);
    f.put("skipPhases", STRINGS);
    f.put("patches", struct("directory", SCALAR));
    if (v4) {
      f.put("timeouts", TIMEOUTS);
    }
    return new Struct(f);
  }

  /** The JoinConfiguration of a version (kubeadm's JoinConfiguration and its Discovery). */
  static Struct joinConfiguration(Version v) {
    boolean v4 = v == Version.V1BETA4;
    Map<String, Shape> f = new LinkedHashMap<>();
    f.put("apiVersion", SCALAR);
    f.put("kind", SCALAR);
    if (v4) {
      f.put("dryRun", SCALAR);
    }
    f.put("nodeRegistration", nodeRegistration(v));
    f.put("caCertPath", SCALAR);
    Map<String, Shape> discovery = new LinkedHashMap<>();
    discovery.put(
        "bootstrapToken",
        struct(
            "token",
            SCALAR,
            "apiServerEndpoint",
            SCALAR,
            "caCertHashes",
            STRINGS,
            "unsafeSkipCAVerification",
            SCALAR));
    discovery.put("file", struct("kubeConfigPath", SCALAR));
    discovery.put("tlsBootstrapToken", SCALAR);
    if (!v4) {
      discovery.put("timeout", SCALAR);
    }
    f.put("discovery", new Struct(discovery));
    f.put("controlPlane", struct("localAPIEndpoint", API_ENDPOINT, "certificateKey", SCALAR));
    f.put("skipPhases", STRINGS);
    f.put("patches", struct("directory", SCALAR));
    if (v4) {
      f.put("timeouts", TIMEOUTS);
    }
    return new Struct(f);
  }

  /**
   * The UpgradeConfiguration, which exists only in v1beta4: one section per upgrade subcommand and
   * the timeouts.
   */
  static Struct upgradeConfiguration() {
    Struct patches = struct("directory", SCALAR);
    Map<String, Shape> f = new LinkedHashMap<>();
    f.put("apiVersion", SCALAR);
    f.put("kind", SCALAR);
    f.put(
        "apply",
        struct(
            "kubernetesVersion", SCALAR,
            "allowExperimentalUpgrades", SCALAR,
            "allowRCUpgrades", SCALAR,
            "certificateRenewal", SCALAR,
            "dryRun", SCALAR,
            "etcdUpgrade", SCALAR,
            "forceUpgrade", SCALAR,
            "ignorePreflightErrors", STRINGS,
            "patches", patches,
            "printConfig", SCALAR,
            "skipPhases", STRINGS,
            "imagePullPolicy", SCALAR,
            "imagePullSerial", SCALAR));
    f.put("diff", struct("kubernetesVersion", SCALAR, "contextLines", SCALAR));
    f.put(
        "node",
        struct(
            "certificateRenewal", SCALAR,
            "dryRun", SCALAR,
            "etcdUpgrade", SCALAR,
            "ignorePreflightErrors", STRINGS,
            "skipPhases", STRINGS,
            "patches", patches,
            "imagePullPolicy", SCALAR,
            "imagePullSerial", SCALAR));
    f.put(
        "plan",
        struct(
            "kubernetesVersion", SCALAR,
            "allowExperimentalUpgrades", SCALAR,
            "allowRCUpgrades", SCALAR,
            "dryRun", SCALAR,
            "ignorePreflightErrors", STRINGS,
            "printConfig", SCALAR,
            "etcdUpgrade", SCALAR));
    f.put("timeouts", TIMEOUTS);
    return new Struct(f);
  }

  /** The ResetConfiguration (v1beta4 only: kubeadm added the kind there). */
  static Struct resetConfiguration() {
    Map<String, Shape> f = new LinkedHashMap<>();
    f.put("apiVersion", SCALAR);
    f.put("kind", SCALAR);
    f.put("cleanupTmpDir", SCALAR);
    f.put("certificatesDir", SCALAR);
    f.put("criSocket", SCALAR);
    f.put("dryRun", SCALAR);
    f.put("force", SCALAR);
    f.put("ignorePreflightErrors", STRINGS);
    f.put("skipPhases", STRINGS);
    f.put("unmountFlags", STRINGS);
    f.put("timeouts", TIMEOUTS);
    return new Struct(f);
  }

  /** The ClusterConfiguration of a version. */
  static Struct clusterConfiguration(Version v) {
    boolean v4 = v == Version.V1BETA4;
    Map<String, Shape> f = new LinkedHashMap<>();
    f.put("apiVersion", SCALAR);
    f.put("kind", SCALAR);
    f.put("etcd", struct("local", localEtcd(v), "external", EXTERNAL_ETCD));
    f.put("networking", NETWORKING);
    f.put("kubernetesVersion", SCALAR);
    f.put("controlPlaneEndpoint", SCALAR);
    f.put("apiServer", apiServer(v));
    f.put("controllerManager", component(v));
    f.put("scheduler", component(v));
    f.put(
        "dns",
        v4
            ? struct("imageRepository", SCALAR, "imageTag", SCALAR, "disabled", SCALAR)
            : struct("imageRepository", SCALAR, "imageTag", SCALAR));
    if (v4) {
      f.put("proxy", struct("disabled", SCALAR));
    }
    f.put("certificatesDir", SCALAR);
    f.put("imageRepository", SCALAR);
    f.put("featureGates", FREE_MAP);
    f.put("clusterName", SCALAR);
    if (v4) {
      f.put("encryptionAlgorithm", SCALAR);
      f.put("certificateValidityPeriod", SCALAR);
      f.put("caCertificateValidityPeriod", SCALAR);
    }
    return new Struct(f);
  }

  private static Struct nodeRegistration(Version v) {
    boolean v4 = v == Version.V1BETA4;
    Map<String, Shape> f = new LinkedHashMap<>();
    f.put("name", SCALAR);
    f.put("criSocket", SCALAR);
    f.put("taints", new ListOf(TAINT));
    f.put("kubeletExtraArgs", extraArgs(v));
    f.put("ignorePreflightErrors", STRINGS);
    f.put("imagePullPolicy", SCALAR);
    if (v4) {
      f.put("imagePullSerial", SCALAR);
    }
    return new Struct(f);
  }

  private static Struct localEtcd(Version v) {
    Map<String, Shape> f = new LinkedHashMap<>();
    f.put("imageRepository", SCALAR);
    f.put("imageTag", SCALAR);
    f.put("dataDir", SCALAR);
    f.put("extraArgs", extraArgs(v));
    if (v == Version.V1BETA4) {
      f.put("extraEnvs", new ListOf(ENV));
    }
    f.put("serverCertSANs", STRINGS);
    f.put("peerCertSANs", STRINGS);
    return new Struct(f);
  }

  private static Struct apiServer(Version v) {
    Map<String, Shape> f = new LinkedHashMap<>(component(v).fields());
    f.put("certSANs", STRINGS);
    if (v == Version.V1BETA3) {
      f.put("timeoutForControlPlane", SCALAR);
    }
    return new Struct(f);
  }

  private static Struct component(Version v) {
    Map<String, Shape> f = new LinkedHashMap<>();
    f.put("extraArgs", extraArgs(v));
    f.put("extraVolumes", new ListOf(MOUNT));
    if (v == Version.V1BETA4) {
      f.put("extraEnvs", new ListOf(ENV));
    }
    return new Struct(f);
  }

  /** v1beta4: a list of {name, value} (names may repeat); v1beta3: a map of names to values. */
  private static Shape extraArgs(Version v) {
    return v == Version.V1BETA4 ? new ListOf(ARG) : FREE_MAP;
  }

  private static Struct struct(Object... namesAndShapes) {
    Map<String, Shape> f = new LinkedHashMap<>();
    for (int i = 0; i < namesAndShapes.length; i += 2) {
      f.put((String) namesAndShapes[i], (Shape) namesAndShapes[i + 1]);
    }
    return new Struct(f);
  }
}
