package dev.kubeboot.cli;

import static dev.kubeboot.cli.CliRun.kubeboot;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Only the named command is built; everything that shows the tree still sees all of it. */
class CommandsTest {
  @Test
  void theRootHelpListsEveryCommand() {
    CliRun help = kubeboot("--help");

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
    assertThat(kubeboot("help", "status").out()).contains("kubeboot status");
    assertThat(kubeboot("status", "--help").out()).contains("kubeboot status");
  }

  @Test
  void initHelpListsItsPhaseCommand() {
    CliRun help = kubeboot("init", "--help");

    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("phase");
  }

  @Test
  void initPhaseCommandsAreReachable() {
    CliRun help = kubeboot("init", "phase", "certs", "--help");

    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("apiserver-etcd-client", "front-proxy-ca");
  }

  @Test
  void aMistypedCommandGetsASuggestion() {
    CliRun typo = kubeboot("stauts");

    assertThat(typo.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(typo.err()).contains("status");
  }

  @Test
  void optionsBeforeTheCommandAreAllowed() {
    assertThat(kubeboot("--stacktrace", "version").out()).contains("kubeboot version");
  }
}
