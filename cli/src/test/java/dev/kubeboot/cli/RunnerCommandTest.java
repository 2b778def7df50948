package dev.kubeboot.cli;

import static dev.kubeboot.cli.CliRun.kubeboot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.RunnerSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** `kubeboot runner` shows and checks the runner's own flags; bad ones are usage errors. */
class RunnerCommandTest {
  @Test
  void helpListsEveryRunnerFlagWithItsDefault() {
    CliRun help = kubeboot("runner", "--help");

    assertThat(help.code()).isZero();
    for (RunnerSpec.Flag flag : RunnerSpec.FLAGS) {
      assertThat(help.out()).contains(flag.name());
    }
    assertThat(help.out()).contains("(default 10248)", "(default /var/lib/kubeboot)");
  }

  @ParameterizedTest(name = "{0} is a usage error naming {1}")
  @CsvSource({
    "--no-such-flag=1, --no-such-flag",
    "--status-port=abc, --status-port abc",
    "--file-check-frequency=often, --file-check-frequency often",
    "--register-with-taints=a:Never, Never",
    "--container-runtime=rkt, rkt"
  })
  void badFlagsAreUsageErrors(String flag, String named) {
    CliRun bad = kubeboot("runner", flag);

    assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).contains(named);
  }
}
