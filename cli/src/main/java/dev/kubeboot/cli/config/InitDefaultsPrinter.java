package dev.kubeboot.cli.config;

import dev.kubeboot.pki.IpLiterals;
import dev.kubeboot.runner.manifest.GoDuration;
import dev.kubeboot.templates.IpText;
import dev.kubeboot.templates.KubernetesVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Prints a config as {@code kubeadm config print init-defaults} does: a {@code
 * kubeadm.k8s.io/v1beta4} InitConfiguration and ClusterConfiguration separated by {@code ---}, keys
 * sorted, empty structures as {@code {}}, durations in Go syntax, strings quoted as Go quotes them.
 * A {@code KubeletConfiguration} document follows when the config has kubelet settings. Reading the
 * output with {@link ConfigReader} gives back the same init and cluster configuration.
 */
public final class InitDefaultsPrinter {
  /** kubeadm's PlaceholderToken, printed so the output does not change from run to run. */
  static final String PLACEHOLDER_TOKEN = "abcdef.0123456789abcdef";

  /** kubeadm's DefaultCRISocket on Linux, printed instead of detecting the runtime. */
  static final String DEFAULT_CRI_SOCKET = "unix:///var/run/containerd/containerd.sock";

  /** kubeadm's CurrentKubernetesVersion of the 1.34 release, printed without going online. */
  static final KubernetesVersion CURRENT_KUBERNETES_VERSION = KubernetesVersion.parse("1.34.0");

  public InitDefaultsPrinter() {}

  /**
   * kubeadm's DefaultedStaticInitConfiguration before defaulting: advertise address 1.2.3.4, node
   * name "node", the placeholder token, the default CRI socket and the current version, so that
   * nothing is taken from this machine.
   */
  static KubeadmConfig placeholders() {
    KubeadmConfig empty = KubeadmConfig.empty();
    InitConfiguration init =
        empty
            .init()
            .withBootstrapTokens(List.of(BootstrapToken.unset().withToken(PLACEHOLDER_TOKEN)))
            .withLocalAPIEndpoint(
                ApiEndpoint.unset().withAdvertiseAddress(IpLiterals.parse("1.2.3.4").orElseThrow()))
            .withNodeRegistration(
                NodeRegistration.unset().withName("node").withCriSocket(DEFAULT_CRI_SOCKET));
    ClusterConfiguration.Builder cluster = empty.cluster().toBuilder();
    cluster.kubernetesVersion = CURRENT_KUBERNETES_VERSION;
    return empty.with(init, cluster.build());
  }

  public String print(KubeadmConfig config) {
    StringBuilder out = new StringBuilder();
    out.append(GoYaml.dump(init(config.init())));
    out.append("---\n");
    out.append(GoYaml.dump(cluster(config.cluster())));
    if (config.staticPodPath().isPresent() || config.fileCheckFrequency().isPresent()) {
      Map<String, Object> kubelet = new TreeMap<>();
      kubelet.put("apiVersion", ConfigReader.KUBELET_V1BETA1);
      kubelet.put("kind", "KubeletConfiguration");
      config.staticPodPath().ifPresent(p -> kubelet.put("staticPodPath", p));
      config
          .fileCheckFrequency()
          .ifPresent(d -> kubelet.put("fileCheckFrequency", GoDuration.format(d)));
      out.append("---\n").append(GoYaml.dump(kubelet));
    }
    return out.toString();
  }

  /**
   * What {@code kubeadm config migrate} writes for a read, defaulted and validated configuration:
   * the InitConfiguration and ClusterConfiguration documents only (kubeadm's migrate carries no
   * KubeletConfiguration over), with the default CRI socket where none is given, as kubeadm's
   * SetNodeRegistrationDynamicDefaults fills it when it does not detect the runtime.
   */
  public String printMigrated(KubeadmConfig config) {
    NodeRegistration registration = config.init().nodeRegistration();
    if (registration.criSocket().isEmpty()) {
      registration = registration.withCriSocket(DEFAULT_CRI_SOCKET);
    }
    KubeadmConfig documents =
        new KubeadmConfig(
            config.init().withNodeRegistration(registration),
            config.cluster(),
            Optional.empty(),
            Optional.empty(),
            config.containerLogs(),
            config.cgroupDriver(),
            config.origins(),
            config.warnings());
    return print(documents);
  }

  private static Map<String, Object> init(InitConfiguration init) {
    Map<String, Object> m = new TreeMap<>();
    m.put("apiVersion", ConfigReader.V1BETA4);
    m.put("kind", "InitConfiguration");
    if (!init.bootstrapTokens().isEmpty()) {
      List<Object> tokens = new ArrayList<>();
      for (BootstrapToken t : init.bootstrapTokens()) {
        Map<String, Object> tm = new TreeMap<>();
        t.description().ifPresent(v -> tm.put("description", v));
        t.expires().ifPresent(v -> tm.put("expires", v));
        putList(tm, "groups", t.groups());
        t.token().ifPresent(v -> tm.put("token", v));
        t.ttl().ifPresent(v -> tm.put("ttl", GoDuration.format(v)));
        putList(tm, "usages", t.usages());
        tokens.add(tm);
      }
      m.put("bootstrapTokens", tokens);
    }
    init.certificateKey().ifPresent(v -> m.put("certificateKey", v));
    if (init.dryRun()) {
      m.put("dryRun", true);
    }
    Map<String, Object> endpoint = new TreeMap<>();
    if (init.localAPIEndpoint().advertiseAddress() != null) {
      endpoint.put("advertiseAddress", IpText.format(init.localAPIEndpoint().advertiseAddress()));
    }
    if (init.localAPIEndpoint().bindPort() != 0) {
      endpoint.put("bindPort", init.localAPIEndpoint().bindPort());
    }
    m.put("localAPIEndpoint", endpoint);
    m.put("nodeRegistration", nodeRegistration(init.nodeRegistration()));
    init.patchesDirectory().ifPresent(d -> m.put("patches", Map.of("directory", d)));
    putList(m, "skipPhases", init.skipPhases());
    m.put("timeouts", timeouts(init.timeouts()));
    return m;
  }

  /** v1beta4 {@code Timeouts}, keys sorted; unset ones left out. */
  static Map<String, Object> timeouts(Timeouts t) {
    Map<String, Object> timeouts = new TreeMap<>();
    putDuration(timeouts, "controlPlaneComponentHealthCheck", t.controlPlaneComponentHealthCheck());
    putDuration(timeouts, "discovery", t.discovery());
    putDuration(timeouts, "etcdAPICall", t.etcdAPICall());
    putDuration(timeouts, "kubeletHealthCheck", t.kubeletHealthCheck());
    putDuration(timeouts, "kubernetesAPICall", t.kubernetesAPICall());
    putDuration(timeouts, "tlsBootstrap", t.tlsBootstrap());
    putDuration(timeouts, "upgradeManifests", t.upgradeManifests());
    return timeouts;
  }

  private static Map<String, Object> nodeRegistration(NodeRegistration r) {
    Map<String, Object> m = new TreeMap<>();
    r.criSocket().ifPresent(v -> m.put("criSocket", v));
    putList(m, "ignorePreflightErrors", r.ignorePreflightErrors());
    putIfSet(m, "imagePullPolicy", r.imagePullPolicy());
    r.imagePullSerial().ifPresent(v -> m.put("imagePullSerial", v));
    if (!r.kubeletExtraArgs().isEmpty()) {
      m.put("kubeletExtraArgs", args(r.kubeletExtraArgs()));
    }
    putIfSet(m, "name", r.name());
    // kubeadm prints "taints: null" for unset: null (control-plane taint) and [] differ.
    m.put(
        "taints",
        r.taints()
            .map(
                taints -> {
                  List<Object> out = new ArrayList<>();
                  for (Taint t : taints) {
                    Map<String, Object> tm = new TreeMap<>();
                    tm.put("effect", t.effect());
                    tm.put("key", t.key());
                    t.timeAdded().ifPresent(v -> tm.put("timeAdded", v));
                    t.value().ifPresent(v -> tm.put("value", v));
                    out.add(tm);
                  }
                  return (Object) out;
                })
            .orElse(null));
    return m;
  }

  static Map<String, Object> cluster(ClusterConfiguration c) {
    Map<String, Object> m = new TreeMap<>();
    Map<String, Object> api =
        component(
            c.apiServer().extraArgs(), c.apiServer().extraVolumes(), c.apiServer().extraEnvs());
    putList(api, "certSANs", c.apiServer().certSANs());
    m.put("apiServer", api);
    m.put("apiVersion", ConfigReader.V1BETA4);
    putDuration(m, "caCertificateValidityPeriod", c.caCertificateValidityPeriod());
    putDuration(m, "certificateValidityPeriod", c.certificateValidityPeriod());
    putIfSet(m, "certificatesDir", c.certificatesDir());
    putIfSet(m, "clusterName", c.clusterName());
    c.controlPlaneEndpoint().ifPresent(v -> m.put("controlPlaneEndpoint", v.toString()));
    m.put(
        "controllerManager",
        component(
            c.controllerManager().extraArgs(),
            c.controllerManager().extraVolumes(),
            c.controllerManager().extraEnvs()));
    Map<String, Object> dns = new TreeMap<>();
    if (c.dns().disabled()) {
      dns.put("disabled", true);
    }
    c.dns().imageRepository().ifPresent(v -> dns.put("imageRepository", v));
    c.dns().imageTag().ifPresent(v -> dns.put("imageTag", v));
    m.put("dns", dns);
    if (c.encryptionAlgorithm() != null) {
      m.put("encryptionAlgorithm", c.encryptionAlgorithm().kubeadmName());
    }
    m.put("etcd", etcd(c.etcd()));
    if (!c.featureGates().isEmpty()) {
      m.put("featureGates", new TreeMap<>(c.featureGates()));
    }
    putIfSet(m, "imageRepository", c.imageRepository());
    m.put("kind", "ClusterConfiguration");
    if (c.kubernetesVersion() != null) {
      m.put("kubernetesVersion", c.kubernetesVersion().text());
    }
    Map<String, Object> net = new TreeMap<>();
    putIfSet(net, "dnsDomain", c.networking().dnsDomain());
    c.networking().podSubnet().ifPresent(v -> net.put("podSubnet", v));
    putIfSet(net, "serviceSubnet", c.networking().serviceSubnet());
    m.put("networking", net);
    Map<String, Object> proxy = new TreeMap<>();
    if (c.proxy().disabled()) {
      proxy.put("disabled", true);
    }
    m.put("proxy", proxy);
    m.put(
        "scheduler",
        component(
            c.scheduler().extraArgs(), c.scheduler().extraVolumes(), c.scheduler().extraEnvs()));
    return m;
  }

  private static Map<String, Object> etcd(Etcd etcd) {
    Map<String, Object> inner = new TreeMap<>();
    return switch (etcd) {
      case LocalEtcd l -> {
        putIfSet(inner, "dataDir", l.dataDir());
        if (!l.extraArgs().isEmpty()) {
          inner.put("extraArgs", args(l.extraArgs()));
        }
        if (!l.extraEnvs().isEmpty()) {
          inner.put("extraEnvs", envs(l.extraEnvs()));
        }
        l.imageRepository().ifPresent(v -> inner.put("imageRepository", v));
        l.imageTag().ifPresent(v -> inner.put("imageTag", v));
        putList(inner, "peerCertSANs", l.peerCertSANs());
        putList(inner, "serverCertSANs", l.serverCertSANs());
        yield Map.of("local", inner);
      }
      case ExternalEtcd x -> {
        x.caFile().ifPresent(v -> inner.put("caFile", v));
        x.certFile().ifPresent(v -> inner.put("certFile", v));
        putList(inner, "endpoints", x.endpoints());
        x.keyFile().ifPresent(v -> inner.put("keyFile", v));
        yield Map.of("external", inner);
      }
    };
  }

  private static Map<String, Object> component(
      List<ExtraArg> extraArgs, List<HostPathMount> extraVolumes, List<EnvVar> extraEnvs) {
    Map<String, Object> m = new TreeMap<>();
    if (!extraArgs.isEmpty()) {
      m.put("extraArgs", args(extraArgs));
    }
    if (!extraEnvs.isEmpty()) {
      m.put("extraEnvs", envs(extraEnvs));
    }
    if (!extraVolumes.isEmpty()) {
      List<Object> volumes = new ArrayList<>();
      for (HostPathMount v : extraVolumes) {
        Map<String, Object> vm = new TreeMap<>();
        vm.put("hostPath", v.hostPath());
        vm.put("mountPath", v.mountPath());
        vm.put("name", v.name());
        v.pathType().ifPresent(p -> vm.put("pathType", p));
        if (v.readOnly()) {
          vm.put("readOnly", true);
        }
        volumes.add(vm);
      }
      m.put("extraVolumes", volumes);
    }
    return m;
  }

  private static List<Object> args(List<ExtraArg> args) {
    List<Object> out = new ArrayList<>();
    for (ExtraArg a : args) {
      Map<String, Object> am = new LinkedHashMap<>();
      am.put("name", a.name());
      am.put("value", a.value());
      out.add(am);
    }
    return out;
  }

  private static List<Object> envs(List<EnvVar> envs) {
    List<Object> out = new ArrayList<>();
    for (EnvVar e : envs) {
      Map<String, Object> em = new LinkedHashMap<>();
      em.put("name", e.name());
      em.put("value", e.value());
      out.add(em);
    }
    return out;
  }

  private static void putList(Map<String, Object> m, String key, List<String> values) {
    if (!values.isEmpty()) {
      m.put(key, new ArrayList<>(values));
    }
  }

  private static void putIfSet(Map<String, Object> m, String key, String value) {
    Optional.ofNullable(value).filter(v -> !v.isEmpty()).ifPresent(v -> m.put(key, v));
  }

  private static void putDuration(Map<String, Object> m, String key, Duration value) {
    if (value != null) {
      m.put(key, GoDuration.format(value));
    }
  }
}
