package dev.kubeboot.cli.config;

import dev.kubeboot.cli.config.KubeadmSchema.Version;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the {@code ResetConfiguration} of {@code kubeboot reset --config}, as {@code kubeadm reset
 * --config} does. The same file may also hold the InitConfiguration/ClusterConfiguration init used
 * (kubeboot's reset has always read where the certificates and etcd are from it): then those are
 * left to {@link ConfigReader}; any other document is ignored with a warning. As for init, an
 * unknown field is an error, and every problem is reported at once with file, line and field path.
 */
public final class ResetConfigReader {
  private static final String KIND = "ResetConfiguration";
  private static final Set<String> INIT_KINDS = Set.of("InitConfiguration", "ClusterConfiguration");

  /**
   * What the file holds for reset.
   *
   * @param config its ResetConfiguration, if it has one
   * @param holdsInitConfiguration whether it also has an InitConfiguration or ClusterConfiguration
   * @param warnings to show once
   */
  public record Reading(
      Optional<ResetConfiguration> config, boolean holdsInitConfiguration, List<String> warnings) {
    public Reading {
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * @throws ConfigException naming every problem of the file's ResetConfiguration
   */
  public Reading read(Path file) {
    return read(ConfigDocuments.readFile(file), file.toString());
  }

  /** Reads a config stream from text; {@code source} stands for the file in messages. */
  public Reading read(String text, String source) {
    Problems problems = new Problems(source);
    List<String> warnings = new ArrayList<>();
    List<String> unused = new ArrayList<>();
    Map<String, String> origins = new HashMap<>();
    KubeadmDecoder decoder = new KubeadmDecoder(problems, origins, unused);
    ResetConfiguration reset = null;
    int firstLine = 0;
    boolean holdsInit = false;
    List<ConfigDocuments.Header> others = new ArrayList<>();
    try {
      for (Node document : ConfigDocuments.composer().composeAll(new StringReader(text))) {
        if (document == null || YamlNodes.isNull(document)) {
          continue;
        }
        var found = ConfigDocuments.header(document, problems, KIND);
        if (found.isEmpty()) {
          continue;
        }
        ConfigDocuments.Header header = found.get();
        boolean kubeadm = header.apiVersion().startsWith(ConfigReader.KUBEADM_GROUP + "/");
        if (!header.kind().equals(KIND)) {
          holdsInit |= kubeadm && INIT_KINDS.contains(header.kind());
          others.add(header);
        } else if (!header.apiVersion().equals(Version.V1BETA4.apiVersion)) {
          problems.atLine(
              header.line(),
              "unsupported apiVersion "
                  + header.apiVersion()
                  + " for ResetConfiguration; kubeadm has it only in "
                  + Version.V1BETA4.apiVersion);
        } else if (reset != null) {
          problems.atLine(
              header.line(),
              "a second ResetConfiguration document (the first is at line "
                  + firstLine
                  + "); give it once");
        } else {
          new SchemaCheck(problems, Version.V1BETA4)
              .check(header.map(), KIND, KubeadmSchema.resetConfiguration(), null);
          reset = decoder.resetConfiguration(header.map());
          firstLine = header.line();
        }
      }
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new ConfigException(source + ":" + line + ": not valid YAML: " + e.getProblem());
    } catch (YAMLException e) {
      throw new ConfigException(source + ": not valid YAML: " + e.getMessage());
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(String.join("\n", problems.lines()));
    }
    if (reset != null && !holdsInit) {
      // With an init configuration beside it, ConfigReader reads (or rejects) the others.
      for (ConfigDocuments.Header other : others) {
        warnings.add(
            ConfigDocuments.ignored(
                source,
                other,
                "kubeboot reset reads ResetConfiguration (and init's configuration)"));
      }
    }
    if (!unused.isEmpty()) {
      warnings.add(
          source
              + ": these fields are accepted for kubeadm compatibility but not used by kubeboot: "
              + String.join(", ", unused));
    }
    return new Reading(Optional.ofNullable(reset), holdsInit, warnings);
  }
}
