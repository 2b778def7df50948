package dev.kubeboot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** kubeadm version -o: the same shapes kubeadm's cmd/version.go prints. */
class VersionCommandTest {
  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  private static String platform() {
    return "linux/" + VersionCommand.goArch(System.getProperty("os.arch"));
  }

  private static String java() {
    Runtime.Version v = Runtime.version();
    return "java" + v.feature() + "." + v.interim() + "." + v.update();
  }

  @Test
  void shortIsTheGitVersionAlone() {
    Result r = run("version", "-o", "short");
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("v" + Version.kubeboot() + "\n");
  }

  @Test
  void jsonIsTheClientVersionObjectIndentedByTwoInStructOrder() {
    Result r = run("version", "-o", "json");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
            {
              "clientVersion": {
                "major": "%s",
                "minor": "%s",
                "gitVersion": "v%s",
                "gitCommit": "",
                "gitTreeState": "",
                "buildDate": "",
                "goVersion": "%s",
                "compiler": "javac",
                "platform": "%s"
              }
            }
            """
                .formatted(major(), minor(), Version.kubeboot(), java(), platform()));
  }

  @Test
  void yamlHasSortedKeysQuotedNumbersAndKubeadmsTrailingBlankLine() {
    Result r = run("version", "--output", "yaml");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
            clientVersion:
              buildDate: ""
              compiler: javac
              gitCommit: ""
              gitTreeState: ""
              gitVersion: v%s
              goVersion: %s
              major: "%s"
              minor: "%s"
              platform: %s

            """
                .formatted(Version.kubeboot(), java(), major(), minor(), platform()));
  }

  @Test
  void withoutOutputTheLineStaysAsItWas() {
    Result r = run("version");
    assertThat(r.out()).isEqualTo(Version.line() + "\n");
  }

  @ParameterizedTest(name = "-o {0} is a usage error naming --output")
  @CsvSource({"xml", "table", "Json"})
  void anUnknownFormatIsAUsageError(String format) {
    Result r = run("version", "-o", format);
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains("--output " + format + ": invalid output format")
        .contains("'yaml', 'json' and 'short'");
    assertThat(r.out()).isEmpty();
  }

  private static String major() {
    String first = Version.kubeboot().split("[.-]")[0];
    return first.matches("\\d+") ? first : "";
  }

  private static String minor() {
    String[] parts = Version.kubeboot().split("[.-]");
    return parts.length > 1 && parts[1].matches("\\d+") ? parts[1] : "";
  }
}
