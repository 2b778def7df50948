package dev.kubeboot.cli;

import dev.kubeboot.cli.config.GoYaml;
import dev.kubeboot.cli.output.GoJson;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * kubeadm version: a line by default; with {@code -o} kubeadm's {@code Version} object (its {@code
 * clientVersion} in apimachinery's {@code version.Info} fields), or {@code short}: the version
 * alone.
 */
@Command(
    name = "version",
    description = "Print the version of kubeboot.",
    mixinStandardHelpOptions = true)
final class VersionCommand implements Callable<Integer> {
  private final CliContext context;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "Output format; available options are 'yaml', 'json' and 'short'.")
  String output;

  VersionCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws UsageException {
    var out = context.out();
    if (output == null) {
      out.println(Version.line());
    } else {
      switch (output) {
        case "short" -> out.println(gitVersion());
        // kubeadm prints the marshalled bytes with Println: a blank line after the YAML.
        case "yaml" -> out.println(GoYaml.dump(document(TreeMap::new)));
        case "json" -> out.print(GoJson.marshalIndent(document(LinkedHashMap::new), "  "));
        default ->
            throw new UsageException(
                "--output "
                    + output
                    + ": invalid output format; available options are 'yaml', 'json' and"
                    + " 'short'");
      }
    }
    out.flush();
    return ExitCodes.OK;
  }

  static String gitVersion() {
    return "v" + Version.kubeboot();
  }

  /**
   * kubeadm's {@code {"clientVersion": version.Info}}: kubeboot's version where kubeadm has its
   * own, the Java runtime where kubeadm names its Go toolchain, Go's platform names. The emulation
   * fields are empty for a client, so left out as Go leaves them out; the build's commit, tree
   * state and date are not recorded in kubeboot's jar, so they are empty as in a Go build without
   * ldflags.
   */
  static Map<String, Object> document(Supplier<Map<String, Object>> maps) {
    String[] parts = Version.kubeboot().split("[.-]");
    Map<String, Object> info = maps.get();
    info.put("major", parts.length > 0 && parts[0].matches("\\d+") ? parts[0] : "");
    info.put("minor", parts.length > 1 && parts[1].matches("\\d+") ? parts[1] : "");
    info.put("gitVersion", gitVersion());
    info.put("gitCommit", "");
    info.put("gitTreeState", "");
    info.put("buildDate", "");
    info.put(
        "goVersion",
        "java"
            + Runtime.version().feature()
            + "."
            + Runtime.version().interim()
            + "."
            + Runtime.version().update());
    info.put("compiler", "javac");
    info.put("platform", "linux/" + goArch(System.getProperty("os.arch")));
    Map<String, Object> doc = maps.get();
    doc.put("clientVersion", info);
    return doc;
  }

  /** Go's GOARCH for the JVM's os.arch. */
  static String goArch(String osArch) {
    return switch (osArch.toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "ppc64le" -> "ppc64le";
      case "s390x" -> "s390x";
      case "riscv64" -> "riscv64";
      default -> osArch;
    };
  }
}
