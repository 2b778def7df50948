package dev.kubeboot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.RunnerSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** `kubeboot runner` shows and checks the runner's own flags; bad ones are usage errors. */
class RunnerCommandTest {
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void helpListsEveryRunnerFlagWithItsDefault() {
    Run help = run("runner", "--help");

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
    Run bad = run("runner", flag);

    assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).contains(named);
  }
}
