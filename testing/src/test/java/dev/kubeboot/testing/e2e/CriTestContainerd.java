package dev.kubeboot.testing.e2e;

import static dev.kubeboot.testing.e2e.E2eSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kubeboot.runner.runtime.cri.CriContainerRuntime;
import dev.kubeboot.testing.e2e.E2eSupport.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The private containerd of scripts/containerd-test-env.sh as the CRI end-to-end tests use it: the
 * stand-in images of a Kubernetes version imported into it, containerd's own ctr, and the kubelet
 * log layout the pods leave outside the tests' temporary directories.
 */
final class CriTestContainerd {
  static final String SOCKET = "/run/kubeboot-test-containerd/containerd.sock";
  static final String ENDPOINT = "unix://" + SOCKET;

  private CriTestContainerd() {}

  /**
   * Starts the containerd if needed and imports the stand-ins tagged {@code version} (no registry
   * exists here: the script builds them from the testing jar, cached by content); skips the test
   * when no containerd can run.
   */
  static void standInImages(String version) throws Exception {
    Path jar = E2eSupport.REPO.resolve("testing/target/kubeboot-testing.jar");
    assertThat(E2eSupport.REPO.resolve("cli/target/kubeboot.jar"))
        .as("the kubeboot jar is built before this module")
        .exists();
    assertThat(jar).exists();
    Result env =
        run(
            Duration.ofMinutes(10),
            Map.of(),
            "bash",
            E2eSupport.REPO.resolve("scripts/containerd-test-env.sh").toString(),
            "--stand-in-images",
            jar.toString(),
            version);
    assumeTrue(
        CriContainerRuntime.available(ENDPOINT),
        "no containerd with the CRI plugin at "
            + ENDPOINT
            + " and scripts/containerd-test-env.sh could not start one (run it as root): "
            + env.out());
    assertThat(env.code()).as(env.out()).isZero();
  }

  /** {@code ctr -n k8s.io ARGS} against this containerd; its output. */
  static String ctr(String... args) throws Exception {
    var command = new ArrayList<>(List.of("ctr", "--address", SOCKET, "-n", "k8s.io"));
    command.addAll(List.of(args));
    Result r = run(Duration.ofSeconds(20), Map.of(), command.toArray(String[]::new));
    assertThat(r.code()).as(r.out()).isZero();
    return r.out();
  }

  /** Deletes the pods' log directories (/var/log/pods/DIR) the runner made. */
  static void removePodLogs(Collection<String> dirs) throws Exception {
    for (String dir : dirs) {
      Path logs = Path.of("/var/log/pods", dir);
      if (Files.exists(logs)) {
        try (Stream<Path> walk = Files.walk(logs)) {
          for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
  }
}
