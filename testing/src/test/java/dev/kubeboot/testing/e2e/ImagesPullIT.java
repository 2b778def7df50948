package dev.kubeboot.testing.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubeadm config images pull through the real Docker engine and the private containerd (CRI), from
 * a real registry (Debian's docker-registry) on loopback that holds kubeadm's list of images for
 * that repository: each image is pulled, said as kubeadm says it, and is in the runtime afterwards.
 */
@Timeout(300)
class ImagesPullIT {
  private static final String CRI_SOCKET = "unix:///run/kubeboot-test-containerd/containerd.sock";
  private static final String SOURCE_IMAGE = "kubeboot.test/pause:1";

  @TempDir static Path tmp;
  private static Process registry;
  private static String repository;
  private static List<String> images;

  record Result(int code, String out, String err) {}

  static Result kubeboot(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    return output;
  }

  @BeforeAll
  static void startRegistryWithKubeadmsImages() throws Exception {
    int port;
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Path config = tmp.resolve("registry.yml");
    Files.writeString(
        config,
        """
        version: 0.1
        storage:
          filesystem:
            rootdirectory: %s
        http:
          addr: 127.0.0.1:%d
        log:
          level: warn
        """
            .formatted(tmp.resolve("registry-data"), port));
    registry =
        new ProcessBuilder("docker-registry", "serve", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("registry.log").toFile())
            .start();
    var http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try {
        if (http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/")).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          break;
        }
      } catch (IOException notYet) {
        assertThat(registry.isAlive()).as(Files.readString(tmp.resolve("registry.log"))).isTrue();
      }
      assertThat(System.nanoTime()).as("registry answers").isLessThan(deadline);
      Thread.sleep(50);
    }
    repository = "127.0.0.1:" + port + "/k8s";
    Result list =
        kubeboot(
            "config",
            "images",
            "list",
            "--image-repository",
            repository,
            "--kubernetes-version",
            "v1.34.0");
    assertThat(list.code()).as(list.err()).isZero();
    images = list.out().lines().toList();
    assertThat(images).hasSize(7);
    // Every image of the list is a small local image pushed under the list's name.
    for (String image : images) {
      run("docker", "tag", SOURCE_IMAGE, image);
      run("docker", "push", image);
      run("docker", "rmi", image);
    }
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    if (registry != null) {
      registry.destroy();
      registry.waitFor();
    }
  }

  private static String expectedOutput() {
    return images.stream()
        .map(i -> "[config/images] Pulled " + i + "\n")
        .collect(Collectors.joining());
  }

  @Test
  void pullsEveryImageIntoDocker() throws Exception {
    Result r =
        kubeboot(
            "config",
            "images",
            "pull",
            "--image-repository",
            repository,
            "--kubernetes-version",
            "v1.34.0",
            "--container-runtime",
            "docker");
    try {
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).isEqualTo(expectedOutput());
      for (String image : images) {
        run("docker", "image", "inspect", image);
      }
    } finally {
      for (String image : images) {
        new ProcessBuilder("docker", "rmi", image).start().waitFor();
      }
    }
  }

  @Test
  void pullsEveryImageIntoTheCriRuntime() throws Exception {
    Result r =
        kubeboot(
            "config",
            "images",
            "pull",
            "--image-repository",
            repository,
            "--kubernetes-version",
            "v1.34.0",
            "--cri-socket",
            CRI_SOCKET);
    String socket = CRI_SOCKET.substring("unix://".length());
    try {
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).isEqualTo(expectedOutput());
      String listed = run("ctr", "--address", socket, "-n", "k8s.io", "images", "ls", "-q");
      assertThat(listed.lines()).containsAll(images);
    } finally {
      var rm = new ArrayList<>(List.of("ctr", "--address", socket, "-n", "k8s.io", "images", "rm"));
      rm.addAll(images);
      new ProcessBuilder(rm).start().waitFor();
    }
  }

  @Test
  void anImageTheRegistryLacksFailsNamingItAndTheRuntime() {
    Result r =
        kubeboot(
            "config",
            "images",
            "pull",
            "--image-repository",
            repository + "/missing",
            "--kubernetes-version",
            "v1.34.0",
            "--container-runtime",
            "docker");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains("failed to pull image \"" + repository + "/missing/kube-apiserver:v1.34.0\"")
        .contains("through the docker runtime at unix:///var/run/docker.sock");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void badFlagsAreUsageErrorsNamingTheFlag() {
    Result runtime = kubeboot("config", "images", "pull", "--container-runtime", "podman");
    assertThat(runtime.code()).isEqualTo(2);
    assertThat(runtime.err())
        .contains(
            "--container-runtime podman: not a runtime; use one of auto, process, docker, cri");
    Result process = kubeboot("config", "images", "pull", "--container-runtime", "process");
    assertThat(process.code()).isEqualTo(2);
    assertThat(process.err())
        .contains("--container-runtime process: host processes keep no images");
    Result version =
        kubeboot(
            "config",
            "images",
            "pull",
            "--kubernetes-version",
            "v9",
            "--container-runtime",
            "docker");
    assertThat(version.code()).isEqualTo(2);
    assertThat(version.err()).contains("v9");
  }
}
