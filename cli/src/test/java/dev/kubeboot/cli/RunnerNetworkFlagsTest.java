package dev.kubeboot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The runner's pod-network flags: a bad pod CIDR is a usage error before anything starts. */
class RunnerNetworkFlagsTest {
  @ParameterizedTest(name = "--pod-cidr {0} is refused: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "10.244.0.0|not a CIDR",
        "10.244.0.1/24|host bits set",
        "10.244.0.0/24,10.245.0.0/24|two IPv4 CIDRs",
        "nonsense/24|no IP address"
      })
  void aBadPodCidrIsAUsageError(String cidr, String message) {
    var out = new StringWriter();
    var err = new StringWriter();

    int code =
        Main.run(
            new PrintWriter(out),
            new PrintWriter(err),
            "runner",
            "--pod-manifest-path",
            "/nonexistent-kubeboot-test",
            "--status-port",
            "0",
            "--container-runtime",
            "process",
            "--pod-cidr",
            cidr);

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--pod-cidr").contains(cidr).contains(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"--pod-cidr", "--cni-conf-dir", "--cni-bin-dir", "--pod-infra-container-image"})
  void theHelpNamesTheFlag(String flag) {
    var out = new StringWriter();
    Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "runner", "--help");
    assertThat(out.toString()).contains(flag);
  }
}
