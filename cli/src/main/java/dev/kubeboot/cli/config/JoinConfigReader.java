package dev.kubeboot.cli.config;

import dev.kubeboot.cli.config.KubeadmSchema.Version;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads {@code kubeboot join --config} as {@code kubeadm join --config} does: one {@code
 * JoinConfiguration} ({@code kubeadm.k8s.io/v1beta4}, or the deprecated {@code v1beta3}, converted
 * once where it is read); the other kubeadm kinds and any other document are ignored with a
 * warning. As for init, an unknown field is an error, and every problem is reported at once with
 * file, line and field path.
 */
public final class JoinConfigReader {
  private static final Set<String> OTHER_KUBEADM_KINDS =
      Set.of(
          "InitConfiguration",
          "ClusterConfiguration",
          "ResetConfiguration",
          "UpgradeConfiguration");

  /** The configuration read and the warnings to show once. */
  public record Reading(JoinConfiguration config, List<String> warnings) {
    public Reading {
      warnings = List.copyOf(warnings);
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
    List<String> unused = new ArrayList<>();
    Map<String, String> origins = new HashMap<>();
    KubeadmDecoder decoder = new KubeadmDecoder(problems, origins, unused);
    JoinConfiguration join = null;
    int firstLine = 0;
    try {
      for (Node document : ConfigDocuments.composer().composeAll(new StringReader(text))) {
        if (document == null || YamlNodes.isNull(document)) {
          continue;
        }
        var header = ConfigDocuments.header(document, problems, "JoinConfiguration");
        if (header.isEmpty()) {
          continue;
        }
        MappingNode map = header.get().map();
        String apiVersion = header.get().apiVersion();
        String kind = header.get().kind();
        int line = header.get().line();
        Version version =
            apiVersion.equals(Version.V1BETA4.apiVersion)
                ? Version.V1BETA4
                : apiVersion.equals(Version.V1BETA3.apiVersion) ? Version.V1BETA3 : null;
        if (kind.equals("JoinConfiguration") && version != null) {
          if (join != null) {
            problems.atLine(
                line,
                "a second JoinConfiguration document (the first is at line "
                    + firstLine
                    + "); give it once");
            continue;
          }
          if (version == Version.V1BETA3) {
            warnings.add(ConfigDocuments.deprecatedV1beta3(source, line, kind));
          }
          new SchemaCheck(problems, version)
              .check(
                  map,
                  kind,
                  KubeadmSchema.joinConfiguration(version),
                  KubeadmSchema.joinConfiguration(version.other()));
          MappingNode v4 =
              version == Version.V1BETA3
                  ? new V1beta3Conversion(problems).joinConfiguration(map)
                  : map;
          join = decoder.joinConfiguration(v4);
          firstLine = line;
        } else if (apiVersion.startsWith(ConfigReader.KUBEADM_GROUP + "/")
            && !OTHER_KUBEADM_KINDS.contains(kind)
            && !kind.equals("JoinConfiguration")) {
          problems.atLine(
              line,
              "unknown kind "
                  + kind
                  + " in "
                  + apiVersion
                  + "; kubeboot join reads JoinConfiguration");
        } else if (kind.equals("JoinConfiguration")) {
          problems.atLine(
              line,
              "unsupported apiVersion "
                  + apiVersion
                  + " for JoinConfiguration; supported are "
                  + Version.V1BETA4.apiVersion
                  + " and "
                  + Version.V1BETA3.apiVersion);
        } else {
          warnings.add(
              ConfigDocuments.ignored(
                  source,
                  header.get(),
                  "kubeboot join reads only JoinConfiguration (the cluster's configuration comes"
                      + " from the cluster)"));
        }
      }
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new ConfigException(source + ":" + line + ": not valid YAML: " + e.getProblem());
    } catch (YAMLException e) {
      throw new ConfigException(source + ": not valid YAML: " + e.getMessage());
    }
    if (join == null && problems.isEmpty()) {
      problems.atLine(
          1,
          "no JoinConfiguration document; kubeboot join --config needs one (apiVersion: "
              + Version.V1BETA4.apiVersion
              + ")");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(String.join("\n", problems.lines()));
    }
    if (!unused.isEmpty()) {
      warnings.add(
          source
              + ": these fields are accepted for kubeadm compatibility but not used by kubeboot: "
              + String.join(", ", unused));
    }
    return new Reading(join, warnings);
  }
}
