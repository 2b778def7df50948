package dev.kubeboot.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The runner's systemd unit says what the runner needs to hold, section by section. */
class RunnerUnitTest {
  private static final Path UNIT = Path.of("src/main/systemd/kubeboot-runner.service");

  @ParameterizedTest(name = "[{0}] {1}={2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // never gives up, as the kubelet's unit: no start limit, a restart 10 s after any exit
        "Unit|StartLimitIntervalSec|0",
        "Service|Restart|always",
        "Service|RestartSec|10",
        // a runner restart leaves the host-process pods running; the next runner adopts them
        "Service|KillMode|process",
        "Service|Delegate|yes",
        // init's flags (kubeadm-flags.env's counterpart), then the operator's, which win
        "Service|EnvironmentFile|-/var/lib/kubeboot/kubeboot-flags.env",
        "Service|EnvironmentFile|-/etc/default/kubeboot",
        "Service|ExecStart|@BINDIR@/kubeboot runner $KUBEBOOT_RUNNER_ARGS $KUBEBOOT_EXTRA_ARGS",
        "Install|WantedBy|multi-user.target",
      })
  void theUnitSays(String section, String key, String value) throws IOException {
    assertThat(directives(section)).contains(key + "=" + value);
  }

  @ParameterizedTest(name = "[{0}] has no {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // the unit starts a launcher that never builds, never a checkout's ./kubeboot
        "Service|ExecStartPre",
        "Service|WorkingDirectory",
      })
  void theUnitLeavesOut(String section, String key) throws IOException {
    assertThat(directives(section)).noneMatch(d -> d.startsWith(key + "="));
  }

  /** The directives of one [section], comments and blank lines left out, in order. */
  private static List<String> directives(String section) throws IOException {
    Map<String, List<String>> sections = new LinkedHashMap<>();
    List<String> current = null;
    for (String line : Files.readAllLines(UNIT)) {
      String text = line.strip();
      if (text.isEmpty() || text.startsWith("#")) {
        continue;
      }
      if (text.startsWith("[")) {
        current =
            sections.computeIfAbsent(text.substring(1, text.length() - 1), s -> new ArrayList<>());
      } else if (current != null) {
        current.add(text);
      }
    }
    assertThat(sections).containsKey(section);
    return sections.get(section);
  }
}
