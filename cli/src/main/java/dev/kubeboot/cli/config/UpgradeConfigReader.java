package dev.kubeboot.cli.config;

import dev.kubeboot.cli.config.KubeadmSchema.Version;
import dev.kubeboot.templates.KubernetesVersion;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads {@code kubeboot upgrade apply|node|plan|diff --config} as kubeadm 1.34's upgrade reads it:
 * an {@code UpgradeConfiguration} ({@code kubeadm.k8s.io/v1beta4}; the kind exists in no other API
 * version), of which each command uses its own section. As for init and join, an unknown field is
 * an error, and every problem of the file is reported at once with file, line and field path.
 *
 * <p>Unlike kubeadm 1.34, which ignores them there, an {@code InitConfiguration} or {@code
 * ClusterConfiguration} in the same file keeps kubeboot's meaning: the upgrade renders with it
 * instead of the cluster's uploaded configuration ({@link ConfigReader} reads them). Without one,
 * the cluster's configuration is used as with no {@code --config} at all. Any other document is
 * ignored with a warning.
 */
public final class UpgradeConfigReader {
  /** The upgrade subcommands, each with its own section of the file. */
  public enum Command {
    APPLY("apply"),
    DIFF("diff"),
    NODE("node"),
    PLAN("plan");

    private final String section;

    Command(String section) {
      this.section = section;
    }

    /** The section's field name in the UpgradeConfiguration. */
    public String section() {
      return section;
    }
  }

  /** kubeadm 1.34's phases of upgrade apply, the names its skipPhases takes. */
  public static final List<String> APPLY_PHASES =
      List.of(
          "preflight",
          "control-plane",
          "upload-config",
          "upload-config/kubeadm",
          "upload-config/kubelet",
          "kubeconfig",
          "kubelet-config",
          "bootstrap-token",
          "addon",
          "addon/coredns",
          "addon/kube-proxy",
          "post-upgrade");

  /** kubeadm 1.34's phases of upgrade node. */
  public static final List<String> NODE_PHASES =
      List.of(
          "preflight",
          "control-plane",
          "kubeconfig",
          "kubelet-config",
          "addon",
          "addon/coredns",
          "addon/kube-proxy",
          "post-upgrade");

  private static final String KIND = "UpgradeConfiguration";
  private static final Set<String> INIT_KINDS = Set.of("InitConfiguration", "ClusterConfiguration");

  /**
   * What the file holds.
   *
   * @param upgrade the UpgradeConfiguration; {@link UpgradeConfiguration#unset()} when the file has
   *     none
   * @param initConfig the file's InitConfiguration and ClusterConfiguration (with the kubelet and
   *     kube-proxy documents), not yet defaulted; empty when it has neither, and then the upgrade
   *     renders from the cluster's configuration
   * @param warnings shown once whatever the command
   * @param unused per command, the fields of its section kubeboot accepts but does not use
   */
  public record Reading(
      UpgradeConfiguration upgrade,
      Optional<KubeadmConfig> initConfig,
      List<String> warnings,
      Map<Command, List<String>> unused) {
    public Reading {
      warnings = List.copyOf(warnings);
      unused = Map.copyOf(unused);
    }

    /** No --config: nothing set, the cluster's configuration. */
    public static Reading none() {
      return new Reading(UpgradeConfiguration.unset(), Optional.empty(), List.of(), Map.of());
    }

    /** The warnings {@code command} shows: the file's, and the fields of its section not used. */
    public List<String> warnings(Command command, String source) {
      List<String> all = new ArrayList<>(warnings);
      List<String> fields = unused.getOrDefault(command, List.of());
      if (!fields.isEmpty()) {
        all.add(
            source
                + ": these fields are accepted for kubeadm compatibility but not used by kubeboot: "
                + String.join(", ", fields));
      }
      return all;
    }
  }

  /**
   * @throws ConfigException naming every problem of the file
   */
  public Reading read(Path file) {
    return read(ConfigDocuments.readFile(file), file.toString());
  }

  /** Reads a config stream from text; {@code source} stands for the file in messages. */
  public Reading read(String text, String source) {
    Problems problems = new Problems(source);
    List<String> warnings = new ArrayList<>();
    Map<String, String> origins = new HashMap<>();
    // Documents beside the UpgradeConfiguration: ConfigReader judges them when the file holds an
    // InitConfiguration or ClusterConfiguration (it reads the kubelet and kube-proxy ones too).
    List<Integer> otherKubeadmLines = new ArrayList<>();
    List<String> otherKubeadmProblems = new ArrayList<>();
    List<String> otherWarnings = new ArrayList<>();
    Map<Command, List<String>> unused = new EnumMap<>(Command.class);
    UpgradeConfiguration upgrade = null;
    int firstLine = 0;
    boolean holdsInit = false;
    try {
      for (Node document : ConfigDocuments.composer().composeAll(new StringReader(text))) {
        if (document == null || YamlNodes.isNull(document)) {
          continue;
        }
        var header = ConfigDocuments.header(document, problems, KIND);
        if (header.isEmpty()) {
          continue;
        }
        String apiVersion = header.get().apiVersion();
        String kind = header.get().kind();
        int line = header.get().line();
        boolean kubeadm = apiVersion.startsWith(ConfigReader.KUBEADM_GROUP + "/");
        if (kind.equals(KIND) && apiVersion.equals(Version.V1BETA4.apiVersion)) {
          if (upgrade != null) {
            problems.atLine(
                line,
                "a second UpgradeConfiguration document (the first is at line "
                    + firstLine
                    + "); give it once");
            continue;
          }
          MappingNode map = header.get().map();
          new SchemaCheck(problems, Version.V1BETA4)
              .check(map, KIND, KubeadmSchema.upgradeConfiguration(), null);
          upgrade = new Decoder(problems, origins, unused).upgradeConfiguration(map);
          firstLine = line;
        } else if (kind.equals(KIND)) {
          problems.atLine(
              line,
              "unsupported apiVersion "
                  + apiVersion
                  + " for UpgradeConfiguration; it exists only in "
                  + Version.V1BETA4.apiVersion);
        } else if (kubeadm && INIT_KINDS.contains(kind)) {
          // Read, with the kubelet and kube-proxy documents beside it, by ConfigReader below.
          holdsInit = true;
        } else if (kubeadm
            && !kind.equals("JoinConfiguration")
            && !kind.equals("ResetConfiguration")) {
          otherKubeadmLines.add(line);
          otherKubeadmProblems.add(
              "unknown kind "
                  + kind
                  + " in "
                  + apiVersion
                  + "; kubeboot upgrade reads UpgradeConfiguration (and InitConfiguration and"
                  + " ClusterConfiguration, used instead of the cluster's configuration)");
        } else {
          otherWarnings.add(
              ConfigDocuments.ignored(
                  source,
                  header.get(),
                  "kubeboot upgrade reads UpgradeConfiguration, InitConfiguration and"
                      + " ClusterConfiguration"));
        }
      }
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new ConfigException(source + ":" + line + ": not valid YAML: " + e.getProblem());
    } catch (YAMLException e) {
      throw new ConfigException(source + ": not valid YAML: " + e.getMessage());
    }
    if (!holdsInit) {
      for (int i = 0; i < otherKubeadmLines.size(); i++) {
        problems.atLine(otherKubeadmLines.get(i), otherKubeadmProblems.get(i));
      }
      warnings.addAll(otherWarnings);
    }
    List<String> lines = new ArrayList<>(problems.lines());
    Optional<KubeadmConfig> initConfig = Optional.empty();
    if (holdsInit) {
      // Told that this command reads the UpgradeConfiguration, it does not warn it is ignored.
      try {
        initConfig = Optional.of(new ConfigReader(KIND).read(text, source));
      } catch (ConfigException e) {
        lines.addAll(e.getMessage().lines().toList());
      }
    }
    if (upgrade == null && !holdsInit && lines.isEmpty()) {
      lines.add(
          source
              + ":1: no UpgradeConfiguration document; kubeboot upgrade --config reads one"
              + " (apiVersion: "
              + Version.V1BETA4.apiVersion
              + ", kind: UpgradeConfiguration; see kubeboot config print upgrade-defaults), and"
              + " takes an InitConfiguration or ClusterConfiguration in it instead of the cluster's"
              + " configuration");
    }
    if (!lines.isEmpty()) {
      throw new ConfigException(String.join("\n", lines));
    }
    return new Reading(
        upgrade == null ? UpgradeConfiguration.unset() : upgrade, initConfig, warnings, unused);
  }

  /** Decodes the v1beta4 UpgradeConfiguration, problems collected. */
  private static final class Decoder {
    private final Problems problems;
    private final Map<String, String> origins;
    private final Map<Command, List<String>> unused;

    Decoder(Problems problems, Map<String, String> origins, Map<Command, List<String>> unused) {
      this.problems = problems;
      this.origins = origins;
      this.unused = unused;
    }

    UpgradeConfiguration upgradeConfiguration(MappingNode map) {
      YamlMapping m = YamlMapping.of(problems, origins, KIND, map).orElseThrow();
      UpgradeConfiguration none = UpgradeConfiguration.unset();
      Timeouts timeouts = new KubeadmDecoder(problems, origins, new ArrayList<>()).timeouts(m);
      return new UpgradeConfiguration(
          m.mapping("apply").map(this::apply).orElse(none.apply()),
          m.mapping("diff").map(this::diff).orElse(none.diff()),
          m.mapping("node").map(this::node).orElse(none.node()),
          m.mapping("plan").map(this::plan).orElse(none.plan()),
          timeouts);
    }

    private UpgradeConfiguration.Apply apply(YamlMapping a) {
      // Pre-release targets are not gated (kubeboot looks no release up online); no preflight
      // runs during an upgrade; the runner pulls each image itself; patches are not applied.
      noteUnused(
          Command.APPLY,
          a,
          "allowExperimentalUpgrades",
          "allowRCUpgrades",
          "ignorePreflightErrors",
          "imagePullSerial",
          "patches");
      return new UpgradeConfiguration.Apply(
          version(a),
          a.bool("allowExperimentalUpgrades"),
          a.bool("allowRCUpgrades"),
          a.bool("certificateRenewal"),
          a.bool("dryRun"),
          a.bool("etcdUpgrade"),
          a.bool("forceUpgrade"),
          a.stringList("ignorePreflightErrors"),
          a.oneOf("imagePullPolicy", KubeadmDecoder.PULL_POLICIES),
          a.bool("imagePullSerial"),
          a.mapping("patches").flatMap(p -> p.text("directory")),
          a.bool("printConfig"),
          phases(a, APPLY_PHASES));
    }

    private UpgradeConfiguration.Diff diff(YamlMapping d) {
      Optional<Integer> context = d.integer("contextLines");
      if (context.isPresent() && context.get() < 0) {
        d.problem("contextLines", "expected 0 or more lines, got " + context.get());
        context = Optional.empty();
      }
      return new UpgradeConfiguration.Diff(version(d), context);
    }

    private UpgradeConfiguration.Node node(YamlMapping n) {
      noteUnused(Command.NODE, n, "ignorePreflightErrors", "imagePullSerial", "patches");
      return new UpgradeConfiguration.Node(
          n.bool("certificateRenewal"),
          n.bool("dryRun"),
          n.bool("etcdUpgrade"),
          n.stringList("ignorePreflightErrors"),
          n.oneOf("imagePullPolicy", KubeadmDecoder.PULL_POLICIES),
          n.bool("imagePullSerial"),
          n.mapping("patches").flatMap(p -> p.text("directory")),
          phases(n, NODE_PHASES));
    }

    private UpgradeConfiguration.Plan plan(YamlMapping p) {
      // plan changes nothing, so its dryRun has nothing to hold back.
      noteUnused(
          Command.PLAN,
          p,
          "allowExperimentalUpgrades",
          "allowRCUpgrades",
          "dryRun",
          "ignorePreflightErrors");
      return new UpgradeConfiguration.Plan(
          version(p),
          p.bool("allowExperimentalUpgrades"),
          p.bool("allowRCUpgrades"),
          p.bool("dryRun"),
          p.stringList("ignorePreflightErrors"),
          p.bool("printConfig"),
          p.bool("etcdUpgrade"));
    }

    private static Optional<KubernetesVersion> version(YamlMapping m) {
      return m.parsed(
          "kubernetesVersion", KubeadmDecoder::version, "a Kubernetes version such as v1.34.2");
    }

    /** The skipPhases list, each name one of the command's phases. */
    private List<String> phases(YamlMapping m, List<String> known) {
      List<String> valid = new ArrayList<>();
      List<Node> items = m.list("skipPhases", "a list of phase names");
      for (int i = 0; i < items.size(); i++) {
        Node item = items.get(i);
        String path = m.pathOf("skipPhases") + "[" + i + "]";
        if (!(item instanceof ScalarNode scalar) || YamlNodes.isNull(item)) {
          problems.at(item, path, "expected a phase name, got " + YamlNodes.describe(item));
        } else if (known.contains(scalar.getValue())) {
          valid.add(scalar.getValue());
        } else {
          problems.at(
              item,
              path,
              "unknown phase \""
                  + scalar.getValue()
                  + "\"; the phases are "
                  + String.join(", ", known));
        }
      }
      return valid;
    }

    private void noteUnused(Command command, YamlMapping m, String... keys) {
      for (String key : keys) {
        if (m.isSet(key)) {
          unused.computeIfAbsent(command, c -> new ArrayList<>()).add(m.pathOf(key));
        }
      }
    }
  }
}
