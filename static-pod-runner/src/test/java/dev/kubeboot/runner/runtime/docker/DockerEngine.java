package dev.kubeboot.runner.runtime.docker;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.kubeboot.runner.runtime.EnginePods;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import org.testcontainers.DockerClientFactory;

/**
 * The engine the Docker tests run against, reached through Testcontainers' client (the test's own
 * view, independent of the runtime under test).
 */
final class DockerEngine {
  private DockerEngine() {}

  static URI endpoint() {
    return URI.create(
        Objects.requireNonNullElse(
            System.getenv("DOCKER_HOST"), DockerRuntimeOptions.DEFAULT_ENDPOINT.toString()));
  }

  /**
   * Skips the calling test class when no engine answers; fails when one answers but the test images
   * are missing (that is a setup error, not a reason to skip).
   */
  static DockerClient requireEngineAndImages() {
    assumeTrue(
        DockerClientFactory.instance().isDockerAvailable(),
        "no Docker engine answers (DOCKER_HOST or /var/run/docker.sock): skipping the Docker"
            + " runtime tests; run scripts/docker-test-env.sh as root to install and start one");
    DockerClient client = DockerClientFactory.instance().client();
    for (String image : new String[] {EnginePods.BUSYBOX, EnginePods.ETCD}) {
      try {
        client.inspectImageCmd(image).exec();
      } catch (NotFoundException e) {
        throw new AssertionError(
            "test image "
                + image
                + " is missing from the Docker engine: run scripts/docker-test-env.sh as root",
            e);
      }
    }
    return client;
  }

  /** Removes every container carrying kubeboot's ownership label. */
  static void removeOwned(DockerClient client) {
    client
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(DockerLabels.MANAGED, "true"))
        .exec()
        .forEach(c -> removeQuietly(client, c.getId()));
  }

  static void removeQuietly(DockerClient client, String id) {
    try {
      client.removeContainerCmd(id).withForce(true).exec();
    } catch (NotFoundException gone) {
      // Removed meanwhile (by the runtime under test).
    }
  }
}
