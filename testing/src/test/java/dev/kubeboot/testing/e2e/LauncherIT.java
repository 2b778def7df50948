package dev.kubeboot.testing.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher {@code ./kubeboot}: what it passes to the JVM and how -v reaches the log level. */
class LauncherIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path tmp;

  private static E2eSupport.Result kubeboot(Map<String, String> env, String... args)
      throws Exception {
    var command = new java.util.ArrayList<String>();
    command.add(E2eSupport.REPO.resolve("kubeboot").toString());
    command.addAll(java.util.List.of(args));
    return E2eSupport.run(TIMEOUT, env, command.toArray(String[]::new));
  }

  @Test
  void kubebootJavaOptsReachTheJvmAfterKubebootsOwnOptions() throws Exception {
    E2eSupport.Result r =
        kubeboot(
            Map.of(
                "KUBEBOOT_JAVA_OPTS",
                "-Dkubeboot.launcher.probe=passed  -XshowSettings:properties -XX:TieredStopAtLevel=4"),
            "version",
            "-o",
            "short");
    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).contains("kubeboot.launcher.probe = passed").endsWith("\n");
  }

  @Test
  void verbosityFourLogsDebugLinesOnStderrAndZeroDoesNot() throws Exception {
    Path config = tmp.resolve("kubeadm.yaml");
    Files.writeString(
        config,
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        kubernetesVersion: v1.34.0
        """);
    E2eSupport.Result quiet =
        kubeboot(Map.of(), "config", "validate", "--config", config.toString());
    E2eSupport.Result debug =
        kubeboot(Map.of(), "config", "validate", "--config", config.toString(), "--v=4");
    assertThat(quiet.code()).as(quiet.out()).isZero();
    assertThat(quiet.out()).doesNotContain("DEBUG");
    assertThat(debug.code()).as(debug.out()).isZero();
    assertThat(debug.out()).contains("DEBUG ConfigReader - loading configuration from \"" + config);
  }
}
