package dev.kubeboot.cli.config;

import dev.kubeboot.cli.config.KubeadmSchema.Version;
import dev.kubeboot.runner.manifest.GoDuration;
import dev.kubeboot.runner.runtime.LogRotation;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads a kubeadm config stream ({@code ---}-separated YAML documents) as {@code kubeadm init
 * --config} does, into a {@link KubeadmConfig} that is not yet defaulted.
 *
 * <ul>
 *   <li>{@code kubeadm.k8s.io/v1beta4} and {@code v1beta3} (deprecated) {@code InitConfiguration}
 *       and {@code ClusterConfiguration}; at least one of them is required, each at most once. A
 *       v1beta3 document is checked against v1beta3's fields, then converted to v1beta4 once
 *       ({@link V1beta3Conversion}); from there on only v1beta4 exists.
 *   <li>{@code JoinConfiguration}, {@code ResetConfiguration}, {@code UpgradeConfiguration}:
 *       ignored with a warning, as kubeadm init does.
 *   <li>{@code kubelet.config.k8s.io/v1beta1 KubeletConfiguration}: used or refused ({@link
 *       KubeletDocument}).
 *   <li>{@code kubeproxy.config.k8s.io/v1alpha1 KubeProxyConfiguration}: kept as written for the
 *       kube-proxy addon (see {@link ComponentConfigs}).
 *   <li>Any other document: ignored with a warning.
 * </ul>
 *
 * <p>Unlike kubeadm, which only warns, an unknown field in a kubeadm document is an error: a typo
 * in a security setting must not pass silently. Every problem of the file is reported at once, each
 * with file, line and field path. Fields kubeadm knows but kubeboot does not use are accepted and
 * listed in one warning.
 */
public final class ConfigReader {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigReader.class);
  static final String KUBEADM_GROUP = "kubeadm.k8s.io";
  static final String V1BETA4 = Version.V1BETA4.apiVersion;
  static final String V1BETA3 = Version.V1BETA3.apiVersion;
  static final String KUBELET_V1BETA1 = KubeletDocument.API_VERSION;

  private static final Map<String, String> OLD_VERSIONS =
      Map.of(
          "v1alpha1", "v1.11",
          "v1alpha2", "v1.12",
          "v1alpha3", "v1.14",
          "v1beta1", "v1.15",
          "v1beta2", "v1.22");
  private static final Set<String> OTHER_KUBEADM_KINDS =
      Set.of("JoinConfiguration", "ResetConfiguration", "UpgradeConfiguration");

  private final Optional<String> callersKind;

  public ConfigReader() {
    this.callersKind = Optional.empty();
  }

  /**
   * A reader for a command that reads one of the other kubeadm kinds from the same file itself
   * (reset's ResetConfiguration): a document of that kind is not warned about as ignored.
   */
  public ConfigReader(String callersKind) {
    this.callersKind = Optional.of(callersKind);
  }

  /** Reads a config file; the file name appears in every error and warning. */
  public KubeadmConfig read(Path file) {
    Reading reading = readAll(file);
    if (!reading.problems().isEmpty()) {
      throw new ConfigException(String.join("\n", reading.problems()));
    }
    return reading.config().orElseThrow();
  }

  /**
   * What reading a file found: the configuration as far as it could be read (values with a problem
   * left unset) and every problem, each with file and line, in the order of the file.
   *
   * @param config empty when the text is not YAML or has no InitConfiguration or
   *     ClusterConfiguration
   */
  public record Reading(Optional<KubeadmConfig> config, List<String> problems) {
    public Reading {
      problems = List.copyOf(problems);
    }
  }

  /**
   * Reads a config file without stopping at its problems, for {@code config validate}: every
   * problem of the file together with what could be read, so the readable part can be validated
   * too.
   */
  public Reading readAll(Path file) {
    LOG.debug("loading configuration from \"{}\"", file);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return new Reading(
          Optional.empty(),
          List.of("cannot read the config file " + file + ": " + reason(e) + "; check --config"));
    }
    return new Stream(file.toString(), callersKind).readAll(text);
  }

  /** Reads a config stream from text; {@code sourceName} stands for the file in messages. */
  public KubeadmConfig read(String yaml, String sourceName) {
    return new Stream(sourceName, callersKind).read(yaml);
  }

  /** The operating system's reason, as {@code cat} would say it. */
  static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason().toLowerCase(java.util.Locale.ROOT);
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** The state of reading one stream. */
  private static final class Stream {
    private final String source;
    private final Problems problems;
    private final List<String> warnings = new ArrayList<>();
    private final List<String> unused = new ArrayList<>();
    private final Map<String, Integer> seenKinds = new HashMap<>();
    private final Map<String, Integer> otherKinds = new java.util.TreeMap<>();
    private final Map<String, String> origins = new HashMap<>();
    private final KubeadmDecoder decoder;
    private final Optional<String> callersKind;
    private InitConfiguration init;
    private ClusterConfiguration cluster;
    private Node v1beta3TimeoutForControlPlane;
    private KubeletDocument.Settings kubelet =
        new KubeletDocument.Settings(
            Optional.empty(), Optional.empty(), LogRotation.DEFAULT, Optional.empty(), List.of());

    Stream(String source, Optional<String> callersKind) {
      this.source = source;
      this.callersKind = callersKind;
      this.problems = new Problems(source);
      this.decoder = new KubeadmDecoder(problems, origins, unused);
    }

    KubeadmConfig read(String text) {
      Reading reading = readAll(text);
      if (!reading.problems().isEmpty()) {
        throw new ConfigException(String.join("\n", reading.problems()));
      }
      return reading.config().orElseThrow();
    }

    /**
     * Reads the whole stream, keeping every problem; the configuration is there unless the text is
     * not YAML or has no InitConfiguration or ClusterConfiguration. A value with a problem is left
     * unset in it.
     */
    Reading readAll(String text) {
      try {
        for (Node document : ConfigDocuments.composer().composeAll(new StringReader(text))) {
          if (document != null && !YamlNodes.isNull(document)) {
            document(document);
          }
        }
      } catch (MarkedYAMLException e) {
        int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
        return new Reading(
            Optional.empty(),
            List.of(source + ":" + line + ": not valid YAML: " + e.getProblem() + contextOf(e)));
      } catch (YAMLException e) {
        return new Reading(
            Optional.empty(), List.of(source + ": not valid YAML: " + e.getMessage()));
      }
      if (init == null && cluster == null) {
        if (!problems.isEmpty()) {
          return new Reading(Optional.empty(), problems.lines());
        }
        if (!otherKinds.isEmpty()) {
          // The file was given to a command that reads init's configuration (certs, manifests,
          // status...): say which command reads the kind it holds rather than "init needs".
          String held =
              otherKinds.entrySet().stream()
                  .map(
                      e ->
                          ("AEIOU".indexOf(e.getKey().charAt(0)) >= 0 ? "an " : "a ")
                              + e.getKey()
                              + " at line "
                              + e.getValue())
                  .collect(java.util.stream.Collectors.joining(", "));
          return new Reading(
              Optional.empty(),
              List.of(
                  source
                      + ": no InitConfiguration or ClusterConfiguration document (it holds "
                      + held
                      + "); this command's --config is the configuration init used (it reads"
                      + " the certificate directory, etcd and the versions from it): pass the file"
                      + " with the InitConfiguration or ClusterConfiguration. A JoinConfiguration"
                      + " is read by join --config, a ResetConfiguration by reset --config, an"
                      + " UpgradeConfiguration by upgrade --config"));
        }
        return new Reading(
            Optional.empty(),
            List.of(
                source
                    + ": no InitConfiguration or ClusterConfiguration document; kubeboot needs at"
                    + " least one, the configuration init uses (apiVersion: "
                    + V1BETA4
                    + ")"));
      }
      InitConfiguration initConfig = init == null ? InitConfiguration.unset() : init;
      if (v1beta3TimeoutForControlPlane != null
          && initConfig.timeouts().controlPlaneComponentHealthCheck() == null) {
        initConfig = initConfig.withTimeouts(v1beta3Timeout(initConfig.timeouts()));
      }
      if (!unused.isEmpty()) {
        warnings.add(
            source
                + ": these fields are accepted for kubeadm compatibility but not used by kubeboot: "
                + String.join(", ", unused));
      }
      if (!kubelet.notAppliedHere().isEmpty()) {
        warnings.add(
            source
                + ": these KubeletConfiguration fields are not applied by kubeboot's runner on this"
                + " node; they go to the kubelet-config ConfigMap, for the kubelets of the nodes"
                + " that join: "
                + String.join(", ", kubelet.notAppliedHere()));
      }
      return new Reading(
          Optional.of(
              new KubeadmConfig(
                  initConfig,
                  cluster == null ? ClusterConfiguration.unset() : cluster,
                  kubelet.staticPodPath(),
                  kubelet.fileCheckFrequency(),
                  kubelet.containerLogs(),
                  kubelet.cgroupDriver(),
                  origins,
                  warnings)),
          problems.lines());
    }

    /** v1beta3's apiServer.timeoutForControlPlane, where v1beta4 keeps it. */
    private Timeouts v1beta3Timeout(Timeouts t) {
      String path = "ClusterConfiguration.apiServer.timeoutForControlPlane";
      Node node = v1beta3TimeoutForControlPlane;
      Optional<Duration> timeout =
          node instanceof ScalarNode s ? GoDuration.parse(s.getValue()) : Optional.empty();
      if (timeout.isEmpty()) {
        problems.at(
            node,
            path,
            "expected a duration such as 4m0s, 1h30m or 90s, got " + YamlNodes.describe(node));
      }
      timeout.ifPresent(
          d ->
              origins.put(
                  "InitConfiguration.timeouts.controlPlaneComponentHealthCheck",
                  source + ":" + YamlNodes.line(v1beta3TimeoutForControlPlane)));
      return new Timeouts(
          timeout.orElse(null),
          t.kubeletHealthCheck(),
          t.kubernetesAPICall(),
          t.etcdAPICall(),
          t.tlsBootstrap(),
          t.discovery(),
          t.upgradeManifests());
    }

    private static String contextOf(MarkedYAMLException e) {
      return e.getContext() == null ? "" : " (" + e.getContext() + ")";
    }

    private void document(Node document) {
      var header = ConfigDocuments.header(document, problems, "InitConfiguration");
      if (header.isEmpty()) {
        return;
      }
      MappingNode map = header.get().map();
      String apiVersion = header.get().apiVersion();
      String kind = header.get().kind();
      int line = header.get().line();
      int slash = apiVersion.indexOf('/');
      String group = slash < 0 ? "" : apiVersion.substring(0, slash);
      String version = apiVersion.substring(slash + 1);
      if (group.equals(KUBEADM_GROUP)) {
        kubeadmDocument(map, version, kind, line);
      } else if (apiVersion.equals(KUBELET_V1BETA1) && kind.equals("KubeletConfiguration")) {
        if (once(kind, line)) {
          kubelet = new KubeletDocument(problems, origins).read(map);
        }
      } else if (group.equals("kubelet.config.k8s.io") && kind.equals("KubeletConfiguration")) {
        problems.atLine(
            line,
            "apiVersion "
                + apiVersion
                + " is not supported for KubeletConfiguration; use "
                + KUBELET_V1BETA1);
      } else if (apiVersion.equals(ComponentConfigs.KUBE_PROXY_API)
          && kind.equals("KubeProxyConfiguration")) {
        // Read as written by ComponentConfigs, for the kube-proxy addon's ConfigMap.
        once(kind, line);
      } else {
        warnings.add(
            ConfigDocuments.ignored(source, header.get(), "kubeboot init does not read this kind"));
      }
    }

    private void kubeadmDocument(MappingNode map, String versionName, String kind, int line) {
      String apiVersion = KUBEADM_GROUP + "/" + versionName;
      if (OLD_VERSIONS.containsKey(versionName)) {
        problems.atLine(
            line,
            apiVersion
                + " (kind "
                + kind
                + ") is an old kubeadm API that kubeadm 1.34 no longer reads; supported are "
                + V1BETA4
                + " and "
                + V1BETA3
                + ". Convert it with 'kubeadm config migrate' of kubeadm "
                + OLD_VERSIONS.get(versionName)
                + " or newer");
        return;
      }
      Version version;
      if (apiVersion.equals(V1BETA4)) {
        version = Version.V1BETA4;
      } else if (apiVersion.equals(V1BETA3)) {
        version = Version.V1BETA3;
      } else {
        problems.atLine(
            line,
            "unknown kubeadm API version "
                + apiVersion
                + "; supported are "
                + V1BETA4
                + " and "
                + V1BETA3);
        return;
      }
      if (version == Version.V1BETA3) {
        warnings.add(ConfigDocuments.deprecatedV1beta3(source, line, kind));
      }
      switch (kind) {
        case "InitConfiguration" -> {
          if (once(kind, line)) {
            new SchemaCheck(problems, version)
                .check(
                    map,
                    kind,
                    KubeadmSchema.initConfiguration(version),
                    KubeadmSchema.initConfiguration(version.other()));
            MappingNode v4 =
                version == Version.V1BETA3
                    ? new V1beta3Conversion(problems).initConfiguration(map)
                    : map;
            init = decoder.initConfiguration(v4);
          }
        }
        case "ClusterConfiguration" -> {
          if (once(kind, line)) {
            new SchemaCheck(problems, version)
                .check(
                    map,
                    kind,
                    KubeadmSchema.clusterConfiguration(version),
                    KubeadmSchema.clusterConfiguration(version.other()));
            MappingNode v4 = map;
            if (version == Version.V1BETA3) {
              V1beta3Conversion.Cluster converted =
                  new V1beta3Conversion(problems).clusterConfiguration(map);
              v4 = converted.document();
              v1beta3TimeoutForControlPlane = converted.timeoutForControlPlane().orElse(null);
            }
            cluster = decoder.clusterConfiguration(v4);
          }
        }
        default -> {
          if (OTHER_KUBEADM_KINDS.contains(kind)
              && (version == Version.V1BETA4 || kind.equals("JoinConfiguration"))) {
            otherKinds.putIfAbsent(kind, line);
            if (callersKind.filter(kind::equals).isEmpty()) {
              warnings.add(
                  source
                      + ":"
                      + line
                      + ": ignored "
                      + kind
                      + " document here: only "
                      + ("JoinConfiguration".equals(kind)
                          ? "join"
                          : "ResetConfiguration".equals(kind) ? "reset" : "upgrade")
                      + " --config reads it (kubeadm init ignores it too)");
            }
          } else {
            problems.atLine(
                line,
                "unknown kind "
                    + kind
                    + " in "
                    + apiVersion
                    + "; kubeboot init reads InitConfiguration and ClusterConfiguration");
          }
        }
      }
    }

    /** True for the first document of a kind; a second one is a problem. */
    private boolean once(String kind, int line) {
      Integer first = seenKinds.putIfAbsent(kind, line);
      if (first != null) {
        problems.atLine(
            line,
            "a second "
                + kind
                + " document (the first is at line "
                + first
                + "); give each kind once");
        return false;
      }
      return true;
    }
  }
}
