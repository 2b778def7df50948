package dev.kubeboot.cli.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands kubeboot runs against systemd, run against a fake {@code systemctl} that records its
 * arguments and answers as systemd does (systemd cannot be PID 1 where the tests run).
 */
class SystemctlTest {
  @TempDir Path tmp;
  private Path calls;
  private Path fake;
  private Path booted;

  @BeforeEach
  void fakeSystemctl() throws Exception {
    calls = tmp.resolve("calls");
    booted = Files.createDirectories(tmp.resolve("run/systemd/system"));
    fake = tmp.resolve("bin/systemctl");
    Files.createDirectories(fake.getParent());
    Files.writeString(
        fake,
        """
        #!/bin/sh
        echo "$*" >> %s
        case "$2" in
          show) [ "$5" = kubeboot-runner.service ] && echo loaded || echo not-found ;;
          is-enabled) exit "${FAKE_ENABLED:-1}" ;;
          is-active) [ -f %s ] ;;
          enable) [ -f %s ] && { echo "Failed to enable unit: Unit file $4 is masked."; exit 1; }
                  touch %s ;;
          disable) rm -f %s ;;
        esac
        """
            .formatted(
                calls,
                tmp.resolve("active"),
                tmp.resolve("masked"),
                tmp.resolve("active"),
                tmp.resolve("active")));
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private Systemctl systemctl() {
    return new Systemctl(booted, fake.toString(), Duration.ofSeconds(30));
  }

  private List<String> calls() throws Exception {
    return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
  }

  @Test
  void withoutSystemdAsPid1NothingIsAsked() throws Exception {
    Files.delete(booted);

    assertThat(systemctl().manages("kubeboot-runner.service")).isFalse();
    assertThat(calls()).isEmpty();
  }

  @Test
  void anInstalledUnitIsManagedAndAMissingOneIsNot() throws Exception {
    assertThat(systemctl().manages("kubeboot-runner.service")).isTrue();
    assertThat(systemctl().manages("other.service")).isFalse();
    assertThat(calls())
        .containsExactly(
            "--no-pager show --property=LoadState --value kubeboot-runner.service",
            "--no-pager show --property=LoadState --value other.service");
  }

  @Test
  void enableNowThenDisableNowRunTheseCommandsAndTheUnitIsInUseBetween() throws Exception {
    Systemctl systemctl = systemctl();

    systemctl.enableNow("kubeboot-runner.service");
    boolean between = systemctl.inUse("kubeboot-runner.service");
    systemctl.disableNow("kubeboot-runner.service");
    boolean after = systemctl.inUse("kubeboot-runner.service");

    assertThat(between).isTrue();
    assertThat(after).isFalse();
    assertThat(calls())
        .containsExactly(
            "--no-pager enable --now kubeboot-runner.service",
            "--no-pager is-enabled --quiet kubeboot-runner.service",
            "--no-pager is-active --quiet kubeboot-runner.service",
            "--no-pager disable --now kubeboot-runner.service",
            "--no-pager is-enabled --quiet kubeboot-runner.service",
            "--no-pager is-active --quiet kubeboot-runner.service");
  }

  @Test
  void aRefusalNamesTheCommandItsExitAndWhatSystemdSaid() throws Exception {
    Files.createFile(tmp.resolve("masked"));

    assertThatThrownBy(() -> systemctl().enableNow("kubeboot-runner.service"))
        .isInstanceOf(ServiceManagerException.class)
        .hasMessageContaining("systemctl enable --now kubeboot-runner.service exited with code 1")
        .hasMessageContaining("Unit file kubeboot-runner.service is masked");
  }
}
