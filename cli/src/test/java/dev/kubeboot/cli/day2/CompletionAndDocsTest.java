package dev.kubeboot.cli.day2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompletionAndDocsTest {
  @TempDir Path tmp;

  private static Node.Result run(String... args) {
    return NodeLess.run(args);
  }

  @Test
  void bashCompletionCompletesTheSubCommands() throws Exception {
    Node.Result result = run("completion", "bash");
    assertThat(result.code()).as(result.err()).isZero();
    Path script = tmp.resolve("kubeboot.bash");
    Files.writeString(script, result.out());
    String top = bash(script, "kubeboot ");
    assertThat(top.split("\\s+"))
        .contains("init", "manifests", "certs", "reset", "completion", "docs", "version");
    assertThat(bash(script, "kubeboot certs ").split("\\s+")).contains("check-expiration", "renew");
    assertThat(bash(script, "kubeboot manifests --d").split("\\s+"))
        .contains("--diff", "--dry-run");
  }

  @Test
  void zshCompletionLoadsTheBashScriptThroughBashcompinit() {
    Node.Result result = run("completion", "zsh");
    assertThat(result.code()).isZero();
    assertThat(result.out())
        .startsWith("#compdef kubeboot\n")
        .contains("autoload -U +X bashcompinit && bashcompinit", "complete -F _complete_kubeboot");
  }

  @Test
  void anUnknownShellIsAUsageError() {
    Node.Result result = run("completion", "fish");
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("bash", "zsh");
  }

  @Test
  void manPagesAreWrittenForEveryCommandAndRenderCleanly() throws Exception {
    Path dir = tmp.resolve("man");
    Node.Result result = run("docs", "man", "--dir", dir.toString());
    assertThat(result.code()).as(result.err()).isZero();
    List<String> pages;
    try (Stream<Path> files = Files.list(dir)) {
      pages = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(pages)
        .contains(
            "kubeboot.1",
            "kubeboot-init.1",
            "kubeboot-init-phase-certs-apiserver.1",
            "kubeboot-manifests.1",
            "kubeboot-certs-renew.1",
            "kubeboot-certs-check-expiration.1",
            "kubeboot-reset.1",
            "kubeboot-completion.1",
            "kubeboot-docs-man.1");
    assertThat(result.out()).contains("Wrote " + pages.size() + " man pages to " + dir);
    String reset = Files.readString(dir.resolve("kubeboot-reset.1"));
    assertThat(reset)
        .startsWith(".TH \"KUBEBOOT-RESET\" 1")
        .contains(".SH SYNOPSIS", ".SH OPTIONS", "\\-\\-force", "\\fBkubeboot\\fR(1)");
    var groff =
        new ProcessBuilder(
                "groff", "-man", "-Tutf8", "-ww", dir.resolve("kubeboot-manifests.1").toString())
            .start();
    String rendered = new String(groff.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String warnings = new String(groff.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(groff.waitFor()).isZero();
    assertThat(warnings).isEmpty();
    assertThat(rendered.replaceAll(".\b", ""))
        .contains("kubeboot-manifests", "--diff", "Print a unified diff");
  }

  @Test
  void everyManPageNamesItsCommandWithAOneLineSummaryAsWhatisReadsIt() throws Exception {
    Path dir = tmp.resolve("man");
    assertThat(run("docs", "man", "--dir", dir.toString()).code()).isZero();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path page : files.toList()) {
        String name = page.getFileName().toString().replaceFirst("\\.1$", "");
        assertThat(Files.readString(page))
            .as(page.toString())
            .containsPattern("\\.SH NAME\n" + name.replace("-", "\\\\-") + " \\\\- \\S");
      }
    }
    assertThat(Files.readString(dir.resolve("kubeboot-help.1")))
        .contains("kubeboot\\-help \\- Display help information about the specified command.");
    assertThat(Files.readString(dir.resolve("kubeboot.1")))
        .doesNotContain("%n")
        .contains(".B help\nDisplay help information about the specified command.");
  }

  private static String bash(Path script, String line) throws Exception {
    String words = line.endsWith(" ") ? line + "''" : line;
    String cmd =
        "source "
            + script
            + "; COMP_WORDS=("
            + words
            + "); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); COMP_LINE='"
            + line
            + "'; COMP_POINT=${#COMP_LINE};"
            + " _complete_kubeboot; printf '%s\\n' \"${COMPREPLY[@]}\"";
    var process = new ProcessBuilder("bash", "-c", cmd).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(out).isZero();
    return out;
  }
}
