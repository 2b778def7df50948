package dev.kubeboot.cli.config;

import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code kubeadm config print join-defaults}, {@code reset-defaults} and {@code
 * upgrade-defaults} of kubeadm 1.34 print: the v1beta4 JoinConfiguration, ResetConfiguration and
 * UpgradeConfiguration with kubeadm's static defaults (apis/kubeadm/v1beta4/defaults.go) and the
 * dynamic ones kubeadm applies without detecting the container runtime (util/config:
 * DefaultedJoinConfiguration, DefaultedResetConfiguration, DefaultedUpgradeConfiguration with
 * SkipCRIDetect), through sigs.k8s.io/yaml: keys sorted, unset optional fields left out, structs
 * always written ({@code diff: {}}), {@code taints: null} for a worker's unset taints.
 */
public final class ActionDefaultsPrinter {
  /** kubeadm's DefaultCACertPath. */
  static final String CA_CERT_PATH = "/etc/kubernetes/pki/ca.crt";

  /** The API server endpoint kubeadm's join-defaults names (getDefaultNodeConfigBytes). */
  static final String JOIN_API_SERVER_ENDPOINT = "kube-apiserver:6443";

  private ActionDefaultsPrinter() {}

  /**
   * join-defaults: token discovery against {@code kube-apiserver:6443} with the placeholder token
   * and no CA pinning, as kubeadm prints it; the node name is this host's name, lower-cased
   * (kubeadm runs SetNodeRegistrationDynamicDefaults, which asks the host); a worker's taints stay
   * unset.
   */
  public static String joinDefaults(String hostname) {
    Map<String, Object> doc = new TreeMap<>();
    doc.put("apiVersion", ConfigReader.V1BETA4);
    doc.put("kind", "JoinConfiguration");
    doc.put("caCertPath", CA_CERT_PATH);
    Map<String, Object> token = new TreeMap<>();
    token.put("apiServerEndpoint", JOIN_API_SERVER_ENDPOINT);
    token.put("token", InitDefaultsPrinter.PLACEHOLDER_TOKEN);
    token.put("unsafeSkipCAVerification", true);
    Map<String, Object> discovery = new TreeMap<>();
    discovery.put("bootstrapToken", token);
    // SetDefaults_Discovery: the TLS bootstrap token defaults to the discovery token.
    discovery.put("tlsBootstrapToken", InitDefaultsPrinter.PLACEHOLDER_TOKEN);
    doc.put("discovery", discovery);
    Map<String, Object> registration = new TreeMap<>();
    registration.put("criSocket", InitDefaultsPrinter.DEFAULT_CRI_SOCKET);
    registration.put("imagePullPolicy", StaticDefaults.IMAGE_PULL_POLICY);
    registration.put("imagePullSerial", true);
    registration.put("name", hostname.trim().toLowerCase(java.util.Locale.ROOT));
    registration.put("taints", null);
    doc.put("nodeRegistration", registration);
    doc.put("timeouts", defaultTimeouts());
    return GoYaml.dump(doc);
  }

  /** reset-defaults: the certificates directory, the default CRI socket and the timeouts. */
  public static String resetDefaults() {
    Map<String, Object> doc = new TreeMap<>();
    doc.put("apiVersion", ConfigReader.V1BETA4);
    doc.put("kind", "ResetConfiguration");
    doc.put("certificatesDir", NodePaths.standard().certificatesDir());
    doc.put("criSocket", InitDefaultsPrinter.DEFAULT_CRI_SOCKET);
    doc.put("timeouts", defaultTimeouts());
    return GoYaml.dump(doc);
  }

  /**
   * upgrade-defaults: SetDefaults_UpgradeConfiguration: certificate renewal, etcd upgrade and
   * serial IfNotPresent pulls for apply and node, etcd upgrade for plan (from v1.33), nothing for
   * diff, and the timeouts.
   */
  public static String upgradeDefaults() {
    Map<String, Object> doc = new TreeMap<>();
    doc.put("apiVersion", ConfigReader.V1BETA4);
    doc.put("kind", "UpgradeConfiguration");
    doc.put("apply", upgradeStep());
    doc.put("diff", new TreeMap<>());
    doc.put("node", upgradeStep());
    doc.put("plan", new TreeMap<>(Map.of("etcdUpgrade", true)));
    doc.put("timeouts", defaultTimeouts());
    return GoYaml.dump(doc);
  }

  private static Map<String, Object> upgradeStep() {
    Map<String, Object> step = new TreeMap<>();
    step.put("certificateRenewal", true);
    step.put("etcdUpgrade", true);
    step.put("imagePullPolicy", StaticDefaults.IMAGE_PULL_POLICY);
    step.put("imagePullSerial", true);
    return step;
  }

  /** SetDefaults_Timeouts, which every one of these types runs. */
  private static Map<String, Object> defaultTimeouts() {
    return InitDefaultsPrinter.timeouts(StaticDefaults.timeouts(Timeouts.unset()));
  }
}
