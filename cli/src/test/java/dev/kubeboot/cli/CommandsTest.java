package dev.kubeboot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Only the named command is built; everything that shows the tree still sees all of it. */
class CommandsTest {
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void theRootHelpListsEveryCommand() {
    Run help = run("--help");

    assertThat(help.code()).isZero();
    assertThat(help.out())
        .contains(
            "init",
            "status",
            "logs",
            "runner",
            "manifests",
            "certs",
            "reset",
            "config",
            "completion",
            "docs",
            "version");
  }

  @Test
  void helpForACommandWorksBothWays() {
    assertThat(run("help", "status").out()).contains("kubeboot status");
    assertThat(run("status", "--help").out()).contains("kubeboot status");
  }

  @Test
  void initHelpListsItsPhaseCommand() {
    Run help = run("init", "--help");

    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("phase");
  }

  @Test
  void initPhaseCommandsAreReachable() {
    Run help = run("init", "phase", "certs", "--help");

    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("apiserver-etcd-client", "front-proxy-ca");
  }

  @Test
  void aMistypedCommandGetsASuggestion() {
    Run typo = run("stauts");

    assertThat(typo.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(typo.err()).contains("status");
  }

  @Test
  void optionsBeforeTheCommandAreAllowed() {
    assertThat(run("--stacktrace", "version").out()).contains("kubeboot version");
  }
}
