package dev.kubeboot.cli.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a kubeadm config stream ({@code ---}-separated YAML documents) as {@code kubeadm init
 * --config} does, into a {@link KubeadmConfig} that is not yet defaulted (see {@link
 * ConfigDefaults}).
 *
 * <ul>
 *   <li>{@code kubeadm.k8s.io/v1beta4} and {@code v1beta3} (deprecated, converted) {@code
 *       InitConfiguration} and {@code ClusterConfiguration}; at least one of them is required, each
 *       at most once.
 *   <li>{@code JoinConfiguration}, {@code ResetConfiguration}, {@code UpgradeConfiguration}:
 *       ignored with a warning, as kubeadm init does.
 *   <li>{@code kubelet.config.k8s.io/v1beta1 KubeletConfiguration}: only {@code staticPodPath} and
 *       {@code fileCheckFrequency} are taken; its other fields are not checked.
 *   <li>Any other document ({@code KubeProxyConfiguration}, ...): ignored with a warning.
 * </ul>
 *
 * <p>Unlike kubeadm, which only warns, an unknown field in a kubeadm document is an error: a typo
 * in a security setting must not pass silently. Fields kubeadm knows but kubeboot does not use are
 * accepted and listed in one warning.
 */
public final class ConfigReader {
  static final String KUBEADM_GROUP = "kubeadm.k8s.io";
  static final String V1BETA4 = KUBEADM_GROUP + "/v1beta4";
  static final String V1BETA3 = KUBEADM_GROUP + "/v1beta3";
  static final String KUBELET_V1BETA1 = "kubelet.config.k8s.io/v1beta1";

  private static final Map<String, String> OLD_VERSIONS =
      Map.of(
          "v1alpha1", "v1.11",
          "v1alpha2", "v1.12",
          "v1alpha3", "v1.14",
          "v1beta1", "v1.15",
          "v1beta2", "v1.22");
  private static final Set<String> OTHER_KUBEADM_KINDS =
      Set.of("JoinConfiguration", "ResetConfiguration", "UpgradeConfiguration");

  private static final Set<String> PULL_POLICIES = Set.of("Always", "IfNotPresent", "Never");
  private static final Set<String> PATH_TYPES =
      Set.of(
          "",
          "DirectoryOrCreate",
          "Directory",
          "FileOrCreate",
          "File",
          "Socket",
          "CharDevice",
          "BlockDevice");
  private static final Set<String> TAINT_EFFECTS =
      Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

  public ConfigReader() {}

  /** Reads a config file; the file name appears in every error and warning. */
  public KubeadmConfig read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(
          "cannot read the config file " + file + ": " + e.getMessage() + "; check --config", e);
    }
    return read(text, file.toString());
  }

  /** Reads a config stream from text; {@code sourceName} stands for the file in messages. */
  public KubeadmConfig read(String yaml, String sourceName) {
    return new Stream(sourceName).read(new StringReader(yaml));
  }

  /** The state of reading one stream. */
  private static final class Stream {
    private final String source;
    private final List<String> warnings = new ArrayList<>();
    private final List<String> unused = new ArrayList<>();
    private final Map<String, Integer> seenKinds = new HashMap<>();
    private InitConfiguration init;
    private ClusterConfiguration cluster;
    private Duration v1beta3TimeoutForControlPlane;
    private Optional<String> staticPodPath = Optional.empty();
    private Optional<Duration> fileCheckFrequency = Optional.empty();

    Stream(String source) {
      this.source = source;
    }

    KubeadmConfig read(Reader reader) {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      options.setMaxAliasesForCollections(50);
      Yaml yaml = new Yaml(new SafeConstructor(options));
      try {
        for (Node document : yaml.composeAll(reader)) {
          if (document != null && !YamlMapping.isNull(document)) {
            document(document);
          }
        }
      } catch (MarkedYAMLException e) {
        int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
        throw new ConfigException(
            source + ":" + line + ": not valid YAML: " + e.getProblem() + contextOf(e), e);
      } catch (YAMLException e) {
        throw new ConfigException(source + ": not valid YAML: " + e.getMessage(), e);
      }
      if (init == null && cluster == null) {
        throw new ConfigException(
            source
                + ": no InitConfiguration or ClusterConfiguration document; kubeboot init needs at"
                + " least one (apiVersion: "
                + V1BETA4
                + ")");
      }
      InitConfiguration initConfig = init == null ? InitConfiguration.unset() : init;
      if (v1beta3TimeoutForControlPlane != null
          && initConfig.timeouts().controlPlaneComponentHealthCheck() == null) {
        Timeouts t = initConfig.timeouts();
        initConfig =
            new InitConfiguration(
                initConfig.bootstrapTokens(),
                initConfig.nodeRegistration(),
                initConfig.localAPIEndpoint(),
                initConfig.certificateKey(),
                initConfig.skipPhases(),
                initConfig.patchesDirectory(),
                initConfig.dryRun(),
                new Timeouts(
                    v1beta3TimeoutForControlPlane,
                    t.kubeletHealthCheck(),
                    t.kubernetesAPICall(),
                    t.etcdAPICall(),
                    t.tlsBootstrap(),
                    t.discovery(),
                    t.upgradeManifests()));
      }
      if (!unused.isEmpty()) {
        warnings.add(
            source
                + ": these fields are accepted for kubeadm compatibility but not used by kubeboot: "
                + String.join(", ", unused));
      }
      return new KubeadmConfig(
          initConfig,
          cluster == null ? ClusterConfiguration.unset() : cluster,
          staticPodPath,
          fileCheckFrequency,
          warnings);
    }

    private static String contextOf(MarkedYAMLException e) {
      return e.getContext() == null ? "" : " (" + e.getContext() + ")";
    }

    private void document(Node document) {
      int line = YamlMapping.line(document);
      if (!(document instanceof MappingNode map)) {
        throw new ConfigException(
            source
                + ":"
                + line
                + ": a config document must be a mapping with apiVersion and kind, got "
                + YamlMapping.describe(document));
      }
      String apiVersion = topLevelString(map, "apiVersion");
      String kind = topLevelString(map, "kind");
      if (apiVersion == null || kind == null) {
        throw new ConfigException(
            source
                + ":"
                + line
                + ": document without "
                + (apiVersion == null ? "apiVersion" : "kind")
                + "; every document needs both, e.g. apiVersion: "
                + V1BETA4
                + " and kind: InitConfiguration");
      }
      int slash = apiVersion.indexOf('/');
      String group = slash < 0 ? "" : apiVersion.substring(0, slash);
      String version = apiVersion.substring(slash + 1);
      if (group.equals(KUBEADM_GROUP)) {
        kubeadmDocument(map, version, kind, line);
      } else if (apiVersion.equals(KUBELET_V1BETA1) && kind.equals("KubeletConfiguration")) {
        once(kind, line);
        kubeletDocument(map);
      } else if (group.equals("kubelet.config.k8s.io") && kind.equals("KubeletConfiguration")) {
        throw new ConfigException(
            source
                + ":"
                + line
                + ": apiVersion "
                + apiVersion
                + " is not supported for KubeletConfiguration; use "
                + KUBELET_V1BETA1);
      } else if (apiVersion.equals(ComponentConfigs.KUBE_PROXY_API)
          && kind.equals("KubeProxyConfiguration")) {
        // Read as written by ComponentConfigs for the kube-proxy addon's ConfigMap.
        once(kind, line);
      } else {
        warnings.add(
            source
                + ":"
                + line
                + ": ignored document "
                + apiVersion
                + ", Kind="
                + kind
                + ": kubeboot init does not read this kind");
      }
    }

    private void kubeadmDocument(MappingNode map, String version, String kind, int line) {
      String apiVersion = KUBEADM_GROUP + "/" + version;
      if (OLD_VERSIONS.containsKey(version)) {
        throw new ConfigException(
            source
                + ":"
                + line
                + ": "
                + apiVersion
                + " (kind "
                + kind
                + ") is an old kubeadm API that kubeadm 1.34 no longer reads; supported are "
                + V1BETA4
                + " and "
                + V1BETA3
                + ". Convert it with 'kubeadm config migrate' of kubeadm "
                + OLD_VERSIONS.get(version)
                + " or newer");
      }
      if (!version.equals("v1beta4") && !version.equals("v1beta3")) {
        throw new ConfigException(
            source
                + ":"
                + line
                + ": unknown kubeadm API version "
                + apiVersion
                + "; supported are "
                + V1BETA4
                + " and "
                + V1BETA3);
      }
      boolean v4 = version.equals("v1beta4");
      if (!v4) {
        warnings.add(
            source
                + ":"
                + line
                + ": "
                + V1BETA3
                + " (kind "
                + kind
                + ") is deprecated; migrate to "
                + V1BETA4
                + " with 'kubeadm config migrate'");
      }
      switch (kind) {
        case "InitConfiguration" -> {
          once(kind, line);
          init = new KubeadmDocument(source, v4, unused).initConfiguration(map);
        }
        case "ClusterConfiguration" -> {
          once(kind, line);
          KubeadmDocument doc = new KubeadmDocument(source, v4, unused);
          cluster = doc.clusterConfiguration(map);
          v1beta3TimeoutForControlPlane = doc.timeoutForControlPlane();
        }
        default -> {
          if (OTHER_KUBEADM_KINDS.contains(kind) && (v4 || kind.equals("JoinConfiguration"))) {
            warnings.add(
                source
                    + ":"
                    + line
                    + ": ignored "
                    + kind
                    + " document: kubeboot init does not use it (kubeadm init ignores it too)");
          } else {
            throw new ConfigException(
                source
                    + ":"
                    + line
                    + ": unknown kind "
                    + kind
                    + " in "
                    + apiVersion
                    + "; kubeboot init reads InitConfiguration and ClusterConfiguration");
          }
        }
      }
    }

    private void once(String kind, int line) {
      Integer first = seenKinds.putIfAbsent(kind, line);
      if (first != null) {
        throw new ConfigException(
            source
                + ":"
                + line
                + ": a second "
                + kind
                + " document (the first is at line "
                + first
                + "); give each kind once");
      }
    }

    private void kubeletDocument(MappingNode map) {
      // Only what the runner uses is checked; the kubelet's other fields are the kubelet's.
      Set<String> keys = new LinkedHashSet<>();
      for (NodeTuple t : map.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k) {
          keys.add(k.getValue());
        }
      }
      YamlMapping kubelet =
          YamlMapping.of(source, "KubeletConfiguration", map, keys, (p, n) -> null);
      staticPodPath = kubelet.string("staticPodPath").filter(s -> !s.isEmpty());
      fileCheckFrequency = kubelet.duration("fileCheckFrequency");
    }

    private String topLevelString(MappingNode map, String key) {
      for (NodeTuple t : map.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
          if (t.getValueNode() instanceof ScalarNode v
              && !YamlMapping.isNull(v)
              && !v.getValue().isEmpty()) {
            return v.getValue();
          }
          throw new ConfigException(
              source
                  + ":"
                  + YamlMapping.line(t.getValueNode())
                  + ": "
                  + key
                  + ": expected a non-empty string, got "
                  + YamlMapping.describe(t.getValueNode()));
        }
      }
      return null;
    }
  }

  /** Decodes one kubeadm document of one API version. */
  private static final class KubeadmDocument {
    private final String source;
    private final boolean v4;
    private final List<String> unused;
    private Duration timeoutForControlPlane;

    KubeadmDocument(String source, boolean v4, List<String> unused) {
      this.source = source;
      this.v4 = v4;
      this.unused = unused;
    }

    Duration timeoutForControlPlane() {
      return timeoutForControlPlane;
    }

    private YamlMapping mapping(String path, Node node, Schema schema) {
      return YamlMapping.of(source, path, node, schema.fields(v4), schema.hint(v4));
    }

    private Optional<YamlMapping> child(YamlMapping parent, String key, Schema schema) {
      return parent.mapping(key, schema.fields(v4), schema.hint(v4));
    }

    private void noteUnused(YamlMapping m, String... keys) {
      for (String key : keys) {
        if (m.isSet(key)) {
          unused.add(m.pathOf(key));
        }
      }
    }

    InitConfiguration initConfiguration(MappingNode map) {
      YamlMapping m = mapping("InitConfiguration", map, Schema.INIT);
      noteUnused(m, "patches");
      List<BootstrapToken> tokens = new ArrayList<>();
      List<Node> tokenNodes = m.list("bootstrapTokens", "a list of bootstrap tokens");
      for (int i = 0; i < tokenNodes.size(); i++) {
        YamlMapping t =
            mapping(m.pathOf("bootstrapTokens") + "[" + i + "]", tokenNodes.get(i), Schema.TOKEN);
        tokens.add(
            new BootstrapToken(
                t.string("token"),
                t.string("description"),
                t.duration("ttl"),
                t.string("expires"),
                t.stringList("usages"),
                t.stringList("groups")));
      }
      NodeRegistration registration =
          child(m, "nodeRegistration", Schema.NODE_REGISTRATION)
              .map(this::nodeRegistration)
              .orElse(NodeRegistration.unset());
      ApiEndpoint endpoint =
          child(m, "localAPIEndpoint", Schema.API_ENDPOINT)
              .map(
                  e ->
                      new ApiEndpoint(
                          e.string("advertiseAddress").orElse(null),
                          e.integer("bindPort").orElse(0)))
              .orElse(ApiEndpoint.unset());
      Optional<String> patches =
          child(m, "patches", Schema.PATCHES).flatMap(p -> p.string("directory"));
      Timeouts timeouts =
          child(m, "timeouts", Schema.TIMEOUTS)
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
      return new InitConfiguration(
          tokens,
          registration,
          endpoint,
          m.string("certificateKey").filter(s -> !s.isEmpty()),
          m.stringList("skipPhases"),
          patches.filter(s -> !s.isEmpty()),
          m.bool("dryRun").orElse(false),
          timeouts);
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
                      YamlMapping t =
                          mapping(n.pathOf("taints") + "[" + i + "]", items.get(i), Schema.TAINT);
                      String effect = t.requiredString("effect");
                      if (!TAINT_EFFECTS.contains(effect)) {
                        throw t.error(
                            t.get("effect").orElseThrow(),
                            t.pathOf("effect"),
                            "expected one of NoSchedule, PreferNoSchedule, NoExecute, got \""
                                + effect
                                + "\"");
                      }
                      out.add(
                          new Taint(
                              t.requiredString("key"),
                              t.string("value"),
                              effect,
                              t.string("timeAdded")));
                    }
                    return out;
                  });
      Optional<String> pullPolicy = n.string("imagePullPolicy").filter(s -> !s.isEmpty());
      pullPolicy
          .filter(p -> !PULL_POLICIES.contains(p))
          .ifPresent(
              p -> {
                throw n.error(
                    n.get("imagePullPolicy").orElseThrow(),
                    n.pathOf("imagePullPolicy"),
                    "expected one of Always, IfNotPresent, Never, got \"" + p + "\"");
              });
      return new NodeRegistration(
          n.string("name").filter(s -> !s.isEmpty()).orElse(null),
          n.string("criSocket").filter(s -> !s.isEmpty()),
          taints,
          extraArgs(n, "kubeletExtraArgs"),
          n.stringList("ignorePreflightErrors"),
          pullPolicy.orElse(null),
          n.bool("imagePullSerial"));
    }

    ClusterConfiguration clusterConfiguration(MappingNode map) {
      YamlMapping m = mapping("ClusterConfiguration", map, Schema.CLUSTER);
      noteUnused(m, "featureGates");
      Etcd etcd = child(m, "etcd", Schema.ETCD).map(this::etcd).orElse(LocalEtcd.unset());
      Networking networking =
          child(m, "networking", Schema.NETWORKING)
              .map(
                  n ->
                      new Networking(
                          n.string("serviceSubnet").filter(s -> !s.isEmpty()).orElse(null),
                          n.string("podSubnet").filter(s -> !s.isEmpty()),
                          n.string("dnsDomain").filter(s -> !s.isEmpty()).orElse(null)))
              .orElse(Networking.unset());
      ApiServer apiServer =
          child(m, "apiServer", Schema.API_SERVER)
              .map(
                  a -> {
                    timeoutForControlPlane = a.duration("timeoutForControlPlane").orElse(null);
                    return new ApiServer(
                        extraArgs(a, "extraArgs"),
                        extraVolumes(a),
                        extraEnvs(a),
                        a.stringList("certSANs"));
                  })
              .orElse(ApiServer.empty());
      Dns dns =
          child(m, "dns", Schema.DNS)
              .map(
                  d ->
                      new Dns(
                          d.string("imageRepository").filter(s -> !s.isEmpty()),
                          d.string("imageTag").filter(s -> !s.isEmpty()),
                          d.bool("disabled").orElse(false)))
              .orElse(Dns.empty());
      Proxy proxy =
          child(m, "proxy", Schema.PROXY)
              .map(p -> new Proxy(p.bool("disabled").orElse(false)))
              .orElse(new Proxy(false));
      Map<String, Boolean> gates = new LinkedHashMap<>();
      m.freeMapping("featureGates", "a mapping of feature gate names to true or false")
          .forEach(
              (name, value) -> {
                String path = m.pathOf("featureGates") + "." + name;
                String text = m.scalarText(value, path, "true or false");
                if (!Tag.BOOL.equals(value.getTag())) {
                  throw m.error(
                      value, path, "expected true or false, got " + YamlMapping.describe(value));
                }
                gates.put(
                    name,
                    Boolean.parseBoolean(text)
                        || text.equalsIgnoreCase("yes")
                        || text.equalsIgnoreCase("on"));
              });
      EncryptionAlgorithm algorithm = v4 ? encryptionAlgorithm(m) : EncryptionAlgorithm.RSA_2048;
      return new ClusterConfiguration(
          etcd,
          networking,
          m.string("kubernetesVersion").filter(s -> !s.isEmpty()).orElse(null),
          m.string("controlPlaneEndpoint").filter(s -> !s.isEmpty()),
          apiServer,
          child(m, "controllerManager", Schema.COMPONENT)
              .map(this::component)
              .orElse(ControlPlaneComponent.empty()),
          child(m, "scheduler", Schema.COMPONENT)
              .map(this::component)
              .orElse(ControlPlaneComponent.empty()),
          dns,
          proxy,
          m.string("certificatesDir").filter(s -> !s.isEmpty()).orElse(null),
          m.string("imageRepository").filter(s -> !s.isEmpty()).orElse(null),
          gates,
          m.string("clusterName").filter(s -> !s.isEmpty()).orElse(null),
          algorithm,
          m.duration("certificateValidityPeriod").orElse(null),
          m.duration("caCertificateValidityPeriod").orElse(null));
    }

    private EncryptionAlgorithm encryptionAlgorithm(YamlMapping m) {
      Optional<String> name = m.string("encryptionAlgorithm").filter(s -> !s.isEmpty());
      if (name.isEmpty()) {
        return null;
      }
      return EncryptionAlgorithm.fromKubeadmName(name.get())
          .orElseThrow(
              () ->
                  m.error(
                      m.get("encryptionAlgorithm").orElseThrow(),
                      m.pathOf("encryptionAlgorithm"),
                      "expected one of "
                          + EncryptionAlgorithm.knownNames()
                          + ", got \""
                          + name.get()
                          + "\""));
    }

    private Etcd etcd(YamlMapping e) {
      Optional<YamlMapping> local = child(e, "local", Schema.LOCAL_ETCD);
      Optional<YamlMapping> external = child(e, "external", Schema.EXTERNAL_ETCD);
      if (local.isPresent() && external.isPresent()) {
        throw e.error(
            e.node(), e.path(), "local and external are mutually exclusive; give one of them");
      }
      if (external.isPresent()) {
        YamlMapping x = external.get();
        return new ExternalEtcd(
            x.stringList("endpoints"),
            x.string("caFile").filter(s -> !s.isEmpty()),
            x.string("certFile").filter(s -> !s.isEmpty()),
            x.string("keyFile").filter(s -> !s.isEmpty()));
      }
      return local
          .map(
              l ->
                  (Etcd)
                      new LocalEtcd(
                          l.string("imageRepository").filter(s -> !s.isEmpty()),
                          l.string("imageTag").filter(s -> !s.isEmpty()),
                          l.string("dataDir").filter(s -> !s.isEmpty()).orElse(null),
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
      if (!v4) {
        List<ExtraArg> args = new ArrayList<>();
        m.freeMapping(key, "a mapping of flag names to values (v1beta3)")
            .forEach(
                (name, value) ->
                    args.add(
                        new ExtraArg(
                            name,
                            YamlMapping.isNull(value)
                                ? ""
                                : m.scalarText(value, m.pathOf(key) + "." + name, "a string"))));
        args.sort(Comparator.comparing(ExtraArg::name));
        return args;
      }
      List<ExtraArg> args = new ArrayList<>();
      List<Node> items = m.list(key, "a list of {name, value} (v1beta4)");
      for (int i = 0; i < items.size(); i++) {
        YamlMapping a = mapping(m.pathOf(key) + "[" + i + "]", items.get(i), Schema.ARG);
        args.add(new ExtraArg(a.requiredString("name"), a.string("value").orElse("")));
      }
      return args;
    }

    private List<HostPathMount> extraVolumes(YamlMapping m) {
      List<HostPathMount> mounts = new ArrayList<>();
      List<Node> items = m.list("extraVolumes", "a list of host path mounts");
      for (int i = 0; i < items.size(); i++) {
        YamlMapping v =
            mapping(m.pathOf("extraVolumes") + "[" + i + "]", items.get(i), Schema.MOUNT);
        Optional<String> pathType = v.string("pathType");
        if (pathType.isPresent() && !PATH_TYPES.contains(pathType.get())) {
          throw v.error(
              v.get("pathType").orElseThrow(),
              v.pathOf("pathType"),
              "expected one of DirectoryOrCreate, Directory, FileOrCreate, File, Socket,"
                  + " CharDevice, BlockDevice, got \""
                  + pathType.get()
                  + "\"");
        }
        mounts.add(
            new HostPathMount(
                v.requiredString("name"),
                v.requiredString("hostPath"),
                v.requiredString("mountPath"),
                v.bool("readOnly").orElse(false),
                pathType.filter(s -> !s.isEmpty())));
      }
      return mounts;
    }

    private List<EnvVar> extraEnvs(YamlMapping m) {
      List<EnvVar> envs = new ArrayList<>();
      List<Node> items = m.list("extraEnvs", "a list of {name, value}");
      for (int i = 0; i < items.size(); i++) {
        YamlMapping e = mapping(m.pathOf("extraEnvs") + "[" + i + "]", items.get(i), Schema.ENV);
        if (e.present("valueFrom")) {
          throw e.error(
              e.keyNode("valueFrom"),
              e.pathOf("valueFrom"),
              "not supported: a static pod cannot reference API objects (Secrets, ConfigMaps,"
                  + " fields); give a literal value");
        }
        envs.add(new EnvVar(e.requiredString("name"), e.string("value").orElse("")));
      }
      return envs;
    }
  }

  /** The fields of each kubeadm structure in v1beta4 and v1beta3. */
  private enum Schema {
    INIT(
        Set.of(
            "apiVersion",
            "kind",
            "bootstrapTokens",
            "dryRun",
            "nodeRegistration",
            "localAPIEndpoint",
            "certificateKey",
            "skipPhases",
            "patches",
            "timeouts"),
        Set.of(
            "apiVersion",
            "kind",
            "bootstrapTokens",
            "nodeRegistration",
            "localAPIEndpoint",
            "certificateKey",
            "skipPhases",
            "patches")),
    TOKEN(Set.of("token", "description", "ttl", "expires", "usages", "groups")),
    NODE_REGISTRATION(
        Set.of(
            "name",
            "criSocket",
            "taints",
            "kubeletExtraArgs",
            "ignorePreflightErrors",
            "imagePullPolicy",
            "imagePullSerial"),
        Set.of(
            "name",
            "criSocket",
            "taints",
            "kubeletExtraArgs",
            "ignorePreflightErrors",
            "imagePullPolicy")),
    TAINT(Set.of("key", "value", "effect", "timeAdded")),
    API_ENDPOINT(Set.of("advertiseAddress", "bindPort")),
    PATCHES(Set.of("directory")),
    TIMEOUTS(
        Set.of(
            "controlPlaneComponentHealthCheck",
            "kubeletHealthCheck",
            "kubernetesAPICall",
            "etcdAPICall",
            "tlsBootstrap",
            "discovery",
            "upgradeManifests"),
        Set.of()),
    CLUSTER(
        Set.of(
            "apiVersion",
            "kind",
            "etcd",
            "networking",
            "kubernetesVersion",
            "controlPlaneEndpoint",
            "apiServer",
            "controllerManager",
            "scheduler",
            "dns",
            "proxy",
            "certificatesDir",
            "imageRepository",
            "featureGates",
            "clusterName",
            "encryptionAlgorithm",
            "certificateValidityPeriod",
            "caCertificateValidityPeriod"),
        Set.of(
            "apiVersion",
            "kind",
            "etcd",
            "networking",
            "kubernetesVersion",
            "controlPlaneEndpoint",
            "apiServer",
            "controllerManager",
            "scheduler",
            "dns",
            "certificatesDir",
            "imageRepository",
            "featureGates",
            "clusterName")),
    ETCD(Set.of("local", "external")),
    LOCAL_ETCD(
        Set.of(
            "imageRepository",
            "imageTag",
            "dataDir",
            "extraArgs",
            "extraEnvs",
            "serverCertSANs",
            "peerCertSANs"),
        Set.of(
            "imageRepository",
            "imageTag",
            "dataDir",
            "extraArgs",
            "serverCertSANs",
            "peerCertSANs")),
    EXTERNAL_ETCD(Set.of("endpoints", "caFile", "certFile", "keyFile")),
    NETWORKING(Set.of("serviceSubnet", "podSubnet", "dnsDomain")),
    API_SERVER(
        Set.of("extraArgs", "extraVolumes", "extraEnvs", "certSANs"),
        Set.of("extraArgs", "extraVolumes", "certSANs", "timeoutForControlPlane")),
    COMPONENT(
        Set.of("extraArgs", "extraVolumes", "extraEnvs"), Set.of("extraArgs", "extraVolumes")),
    DNS(Set.of("imageRepository", "imageTag", "disabled"), Set.of("imageRepository", "imageTag")),
    PROXY(Set.of("disabled"), Set.of()),
    ARG(Set.of("name", "value")),
    MOUNT(Set.of("name", "hostPath", "mountPath", "readOnly", "pathType")),
    ENV(Set.of("name", "value", "valueFrom"));

    private static final Map<String, String> MOVED =
        Map.of(
            "ClusterConfiguration.apiServer.timeoutForControlPlane",
            "in " + V1BETA4 + " it is InitConfiguration.timeouts.controlPlaneComponentHealthCheck");

    private final Set<String> v1beta4;
    private final Set<String> v1beta3;

    Schema(Set<String> both) {
      this(both, both);
    }

    Schema(Set<String> v1beta4, Set<String> v1beta3) {
      this.v1beta4 = v1beta4;
      this.v1beta3 = v1beta3;
    }

    Set<String> fields(boolean v4) {
      return v4 ? v1beta4 : v1beta3;
    }

    /** Explains an unknown field that exists in the other API version. */
    BiFunction<String, String, String> hint(boolean v4) {
      return (path, name) -> {
        String moved = MOVED.get(path + "." + name);
        if (moved != null && v4) {
          return "it is a " + V1BETA3 + " field; " + moved;
        }
        if (!v4 && v1beta4.contains(name)) {
          return "it exists only in " + V1BETA4 + "; change apiVersion to use it";
        }
        return null;
      };
    }
  }
}
