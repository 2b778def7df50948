package dev.kubeboot.cli.config;

import dev.kubeboot.pki.IpLiterals;
import dev.kubeboot.templates.InvalidInputException;
import dev.kubeboot.templates.KubernetesVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Decodes kubeadm documents of the {@code kubeadm.k8s.io/v1beta4} shape (v1beta3 documents are
 * converted before) into the config records. Values are typed where they are read: the Kubernetes
 * version, IP addresses, the control-plane endpoint, durations. Problems are collected, not thrown.
 */
final class KubeadmDecoder {
  static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
  static final List<String> PATH_TYPES =
      List.of(
          "DirectoryOrCreate",
          "Directory",
          "FileOrCreate",
          "File",
          "Socket",
          "CharDevice",
          "BlockDevice");

  /** unmount2() flags ResetConfiguration.unmountFlags may name (kubeadm's validation). */
  static final List<String> UNMOUNT_FLAGS =
      List.of("MNT_FORCE", "MNT_DETACH", "MNT_EXPIRE", "UMOUNT_NOFOLLOW");

  static final List<String> TAINT_EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");

  private final Problems problems;
  private final Map<String, String> origins;
  private final List<String> unused;

  /**
   * @param unused collects the paths of fields kubeadm knows but kubeboot does not use
   */
  KubeadmDecoder(Problems problems, Map<String, String> origins, List<String> unused) {
    this.problems = problems;
    this.origins = origins;
    this.unused = unused;
  }

  InitConfiguration initConfiguration(MappingNode map) {
    YamlMapping m = YamlMapping.of(problems, origins, "InitConfiguration", map).orElseThrow();
    noteUnused(m, "patches");
    List<BootstrapToken> tokens = new ArrayList<>();
    List<Node> tokenNodes = m.list("bootstrapTokens", "a list of bootstrap tokens");
    for (int i = 0; i < tokenNodes.size(); i++) {
      YamlMapping.of(
              problems, origins, m.pathOf("bootstrapTokens") + "[" + i + "]", tokenNodes.get(i))
          .ifPresent(
              t ->
                  tokens.add(
                      new BootstrapToken(
                          t.text("token"),
                          t.text("description"),
                          t.duration("ttl"),
                          t.text("expires"),
                          t.stringList("usages"),
                          t.stringList("groups"))));
    }
    NodeRegistration registration =
        m.mapping("nodeRegistration").map(this::nodeRegistration).orElse(NodeRegistration.unset());
    ApiEndpoint endpoint = apiEndpoint(m);
    Optional<String> patches = m.mapping("patches").flatMap(p -> p.text("directory"));
    Timeouts timeouts = timeouts(m);
    return new InitConfiguration(
        tokens,
        registration,
        endpoint,
        m.text("certificateKey"),
        m.stringList("skipPhases"),
        patches,
        m.bool("dryRun").orElse(false),
        timeouts);
  }

  JoinConfiguration joinConfiguration(MappingNode map) {
    YamlMapping m = YamlMapping.of(problems, origins, "JoinConfiguration", map).orElseThrow();
    noteUnused(m, "patches", "caCertPath");
    NodeRegistration registration =
        m.mapping("nodeRegistration").map(this::nodeRegistration).orElse(NodeRegistration.unset());
    JoinConfiguration.Discovery discovery =
        m.mapping("discovery")
            .map(
                d -> {
                  noteUnused(d, "tlsBootstrapToken");
                  Optional<YamlMapping> token = d.mapping("bootstrapToken");
                  return new JoinConfiguration.Discovery(
                      token.flatMap(t -> t.text("token")),
                      token.flatMap(t -> t.text("apiServerEndpoint")),
                      token.map(t -> t.stringList("caCertHashes")).orElse(List.of()),
                      token.flatMap(t -> t.bool("unsafeSkipCAVerification")).orElse(false),
                      d.mapping("file").flatMap(f -> f.text("kubeConfigPath")),
                      d.text("tlsBootstrapToken"),
                      d.duration("timeout"));
                })
            .orElse(JoinConfiguration.Discovery.unset());
    // "controlPlane: {}" asks for a control-plane join with defaults; a null value, as in Go, not.
    Optional<JoinConfiguration.ControlPlane> controlPlane =
        m.mapping("controlPlane")
            .map(c -> new JoinConfiguration.ControlPlane(apiEndpoint(c), c.text("certificateKey")));
    return new JoinConfiguration(
        registration,
        m.text("caCertPath"),
        discovery,
        controlPlane,
        m.stringList("skipPhases"),
        m.bool("dryRun").orElse(false),
        timeouts(m));
  }

  ResetConfiguration resetConfiguration(MappingNode map) {
    YamlMapping m = YamlMapping.of(problems, origins, "ResetConfiguration", map).orElseThrow();
    // kubeboot's runner, not a CRI runtime kubeadm would clean, owns the containers; nothing is
    // mounted under a kubelet directory; there are no preflight checks to ignore.
    noteUnused(m, "criSocket", "unmountFlags", "ignorePreflightErrors");
    List<String> unmountFlags = m.stringList("unmountFlags");
    for (String flag : unmountFlags) {
      if (!UNMOUNT_FLAGS.contains(flag)) {
        problems.at(
            m.get("unmountFlags").orElseThrow(),
            m.pathOf("unmountFlags"),
            "\""
                + flag
                + "\" is not an unmount flag; kubeadm allows "
                + String.join(", ", UNMOUNT_FLAGS));
      }
    }
    return new ResetConfiguration(
        m.bool("cleanupTmpDir").orElse(false),
        m.parsed(
            "certificatesDir",
            dir -> dir.startsWith("/") ? Optional.of(dir) : Optional.empty(),
            "an absolute path such as /etc/kubernetes/pki"),
        m.text("criSocket"),
        m.bool("dryRun").orElse(false),
        m.bool("force").orElse(false),
        m.stringList("ignorePreflightErrors"),
        m.stringList("skipPhases"),
        unmountFlags,
        timeouts(m));
  }

  private ApiEndpoint apiEndpoint(YamlMapping m) {
    return m.mapping("localAPIEndpoint")
        .map(
            e ->
                new ApiEndpoint(
                    e.parsed(
                            "advertiseAddress",
                            IpLiterals::parse,
                            "an IPv4 or IPv6 address literal such as 192.168.0.10")
                        .orElse(null),
                    e.integer("bindPort").orElse(0)))
        .orElse(ApiEndpoint.unset());
  }

  Timeouts timeouts(YamlMapping m) {
    return m.mapping("timeouts")
        .map(
            t ->
                new Timeouts(
                    t.duration("controlPlaneComponentHealthCheck").orElse(null),
                    t.duration("kubeletHealthCheck").orElse(null),
                    t.duration("kubernetesAPICall").orElse(null),
                    t.duration("etcdAPICall").orElse(null),
                    t.duration("tlsBootstrap").orElse(null),
                    t.duration("discovery").orElse(null),
                    t.duration("upgradeManifests").orElse(null)))
        .orElse(Timeouts.unset());
  }

  private NodeRegistration nodeRegistration(YamlMapping n) {
    noteUnused(n, "criSocket", "kubeletExtraArgs", "imagePullSerial");
    Optional<List<Taint>> taints =
        n.get("taints")
            .map(
                node -> {
                  List<Node> items = n.sequence(node, n.pathOf("taints"), "a list of taints");
                  List<Taint> out = new ArrayList<>();
                  for (int i = 0; i < items.size(); i++) {
                    YamlMapping.of(
                            problems, origins, n.pathOf("taints") + "[" + i + "]", items.get(i))
                        .ifPresent(
                            t -> {
                              Optional<String> key = t.requiredString("key");
                              Optional<String> effect = t.oneOf("effect", TAINT_EFFECTS);
                              if (!t.isSet("effect")) {
                                t.requiredString("effect");
                              }
                              if (key.isPresent() && effect.isPresent()) {
                                out.add(
                                    new Taint(
                                        key.get(),
                                        t.text("value"),
                                        effect.get(),
                                        t.text("timeAdded")));
                              }
                            });
                  }
                  return out;
                });
    return new NodeRegistration(
        n.text("name").orElse(null),
        n.text("criSocket"),
        taints,
        extraArgs(n, "kubeletExtraArgs"),
        n.stringList("ignorePreflightErrors"),
        n.oneOf("imagePullPolicy", PULL_POLICIES).orElse(null),
        n.bool("imagePullSerial"));
  }

  ClusterConfiguration clusterConfiguration(MappingNode map) {
    YamlMapping m = YamlMapping.of(problems, origins, "ClusterConfiguration", map).orElseThrow();
    Etcd etcd = m.mapping("etcd").map(this::etcd).orElse(LocalEtcd.unset());
    Networking networking =
        m.mapping("networking")
            .map(
                n ->
                    new Networking(
                        n.text("serviceSubnet").orElse(null),
                        n.text("podSubnet"),
                        n.text("dnsDomain").orElse(null)))
            .orElse(Networking.unset());
    ApiServer apiServer =
        m.mapping("apiServer")
            .map(
                a ->
                    new ApiServer(
                        extraArgs(a, "extraArgs"),
                        extraVolumes(a),
                        extraEnvs(a),
                        a.stringList("certSANs")))
            .orElse(ApiServer.empty());
    Dns dns =
        m.mapping("dns")
            .map(
                d ->
                    new Dns(
                        d.text("imageRepository"),
                        d.text("imageTag"),
                        d.bool("disabled").orElse(false)))
            .orElse(Dns.empty());
    Proxy proxy =
        m.mapping("proxy")
            .map(p -> new Proxy(p.bool("disabled").orElse(false)))
            .orElse(new Proxy(false));
    Map<String, Boolean> gates = new LinkedHashMap<>();
    m.freeMapping("featureGates", "a mapping of feature gate names to true or false")
        .forEach(
            (name, value) -> {
              String path = m.pathOf("featureGates") + "." + name;
              m.bool(value, path)
                  .ifPresent(
                      enabled -> {
                        gates.put(name, enabled);
                        origins.put(path, problems.source() + ":" + YamlNodes.line(value));
                      });
            });
    return new ClusterConfiguration(
        etcd,
        networking,
        m.parsed(
                "kubernetesVersion",
                KubeadmDecoder::version,
                "a Kubernetes version such as v1.34.2")
            .orElse(null),
        controlPlaneEndpoint(m),
        apiServer,
        m.mapping("controllerManager").map(this::component).orElse(ControlPlaneComponent.empty()),
        m.mapping("scheduler").map(this::component).orElse(ControlPlaneComponent.empty()),
        dns,
        proxy,
        m.text("certificatesDir").orElse(null),
        m.text("imageRepository").orElse(null),
        gates,
        m.text("clusterName").orElse(null),
        m.oneOf("encryptionAlgorithm", EncryptionAlgorithm.kubeadmNames())
            .flatMap(EncryptionAlgorithm::fromKubeadmName)
            .orElse(null),
        m.duration("certificateValidityPeriod").orElse(null),
        m.duration("caCertificateValidityPeriod").orElse(null));
  }

  private Optional<HostPort> controlPlaneEndpoint(YamlMapping m) {
    return m.text("controlPlaneEndpoint")
        .flatMap(
            text -> {
              HostPort.Result result = HostPort.parse(text);
              if (result.problem() != null) {
                m.problem(
                    "controlPlaneEndpoint",
                    "invalid value \""
                        + text
                        + "\": "
                        + result.problem()
                        + "; expected an IP address or DNS name with an optional :port, such as"
                        + " lb.example.com:6443");
              }
              return result.value();
            });
  }

  /**
   * kubeadm writes {@code 1.34.0} for {@code v1.34.0}; labels such as stable-1 need the network.
   */
  static Optional<KubernetesVersion> version(String text) {
    try {
      return Optional.of(KubernetesVersion.parse(text));
    } catch (InvalidInputException e) {
      return Optional.empty();
    }
  }

  private Etcd etcd(YamlMapping e) {
    Optional<YamlMapping> local = e.mapping("local");
    Optional<YamlMapping> external = e.mapping("external");
    if (e.present("local") && e.present("external")) {
      problems.at(
          e.node(), e.path(), "local and external are mutually exclusive; give one of them");
    }
    if (external.isPresent()) {
      YamlMapping x = external.get();
      return new ExternalEtcd(
          x.stringList("endpoints"), x.text("caFile"), x.text("certFile"), x.text("keyFile"));
    }
    return local
        .map(
            l ->
                (Etcd)
                    new LocalEtcd(
                        l.text("imageRepository"),
                        l.text("imageTag"),
                        l.text("dataDir").orElse(null),
                        extraArgs(l, "extraArgs"),
                        extraEnvs(l),
                        l.stringList("serverCertSANs"),
                        l.stringList("peerCertSANs")))
        .orElse(LocalEtcd.unset());
  }

  private ControlPlaneComponent component(YamlMapping c) {
    return new ControlPlaneComponent(extraArgs(c, "extraArgs"), extraVolumes(c), extraEnvs(c));
  }

  private List<ExtraArg> extraArgs(YamlMapping m, String key) {
    List<ExtraArg> args = new ArrayList<>();
    for (YamlMapping a : m.mappings(key, "a list of {name, value} (v1beta4)")) {
      a.requiredString("name")
          .ifPresent(name -> args.add(new ExtraArg(name, a.string("value").orElse(""))));
    }
    return args;
  }

  private List<HostPathMount> extraVolumes(YamlMapping m) {
    List<HostPathMount> mounts = new ArrayList<>();
    for (YamlMapping v : m.mappings("extraVolumes", "a list of host path mounts")) {
      Optional<String> name = v.requiredString("name");
      Optional<String> hostPath = v.requiredString("hostPath");
      Optional<String> mountPath = v.requiredString("mountPath");
      Optional<String> pathType = v.oneOf("pathType", PATH_TYPES);
      boolean readOnly = v.bool("readOnly").orElse(false);
      if (name.isPresent() && hostPath.isPresent() && mountPath.isPresent()) {
        mounts.add(
            new HostPathMount(name.get(), hostPath.get(), mountPath.get(), readOnly, pathType));
      }
    }
    return mounts;
  }

  private List<EnvVar> extraEnvs(YamlMapping m) {
    List<EnvVar> envs = new ArrayList<>();
    for (YamlMapping e : m.mappings("extraEnvs", "a list of {name, value}")) {
      if (e.present("valueFrom")) {
        problems.at(
            e.keyNode("valueFrom"),
            e.pathOf("valueFrom"),
            "not supported: a static pod cannot reference API objects (Secrets,"
                + " ConfigMaps, fields); give a literal value");
      }
      e.requiredString("name")
          .ifPresent(name -> envs.add(new EnvVar(name, e.string("value").orElse(""))));
    }
    return envs;
  }

  private void noteUnused(YamlMapping m, String... keys) {
    for (String key : keys) {
      if (m.isSet(key)) {
        unused.add(m.pathOf(key));
      }
    }
  }
}
