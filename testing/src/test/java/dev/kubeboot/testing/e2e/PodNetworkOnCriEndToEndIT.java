package dev.kubeboot.testing.e2e;

import static dev.kubeboot.testing.e2e.E2eSupport.run;
import static dev.kubeboot.testing.e2e.E2eSupport.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kubeboot.runner.network.BridgeNetwork;
import dev.kubeboot.runner.network.NodeFirewall;
import dev.kubeboot.runner.runtime.cri.CriContainerRuntime;
import dev.kubeboot.runner.status.PodStatus;
import dev.kubeboot.testing.e2e.E2eSupport.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Kubernetes docs' "Create static Pods" tutorial, end to end: `kubeboot init` with a
 * networking.podSubnet on the CRI runtime (the private containerd of
 * scripts/containerd-test-env.sh, CNI plugins from /usr/lib/cni, docker.io from the private
 * registry), the control plane's stand-ins (test doubles) as containers; then the tutorial's
 * static-web.yaml, unchanged, dropped into the manifest directory. kubectl shows its mirror pod
 * with the pod IP from the node's slice of the pod subnet, and that IP serves the page.
 * KUBEBOOT_TEST_CONTAINERD names another private containerd instance (as the script takes it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PodNetworkOnCriEndToEndIT {
  private static final Path REPO = E2eSupport.REPO;
  private static final String INSTANCE =
      Objects.requireNonNullElse(
          System.getenv("KUBEBOOT_TEST_CONTAINERD"), "kubeboot-test-containerd");
  private static final String SOCKET = "/run/" + INSTANCE + "/containerd.sock";
  private static final String ENDPOINT = "unix://" + SOCKET;
  private static final String VERSION = "v1.34.2";
  private static final String NODE = "net-node";

  /** The tutorial's manifest, as kubernetes.io shows it. */
  private static final String STATIC_WEB =
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: static-web
        labels:
          role: myrole
      spec:
        containers:
          - name: web
            image: nginx
            ports:
              - name: web
                containerPort: 80
                protocol: TCP
      """;

  private LocalControlPlane local;
  private Path cniConfDir;

  @BeforeAll
  void setUp() throws Exception {
    Path jar = REPO.resolve("testing/target/kubeboot-testing.jar");
    assertThat(REPO.resolve("cli/target/kubeboot.jar")).exists();
    assertThat(jar).exists();
    Result env =
        run(
            Duration.ofMinutes(10),
            Map.of("KUBEBOOT_TEST_CONTAINERD", INSTANCE),
            "bash",
            REPO.resolve("scripts/containerd-test-env.sh").toString(),
            "--stand-in-images",
            jar.toString(),
            VERSION);
    assumeTrue(
        CriContainerRuntime.available(ENDPOINT),
        "no containerd with the CRI plugin at " + ENDPOINT + ": " + env.out());
    assertThat(env.code()).as(env.out()).isZero();
    cniConfDir = Path.of("/var/lib", INSTANCE, "cni/net.d");
    assertThat(Files.readString(Path.of("/var/lib", INSTANCE, "config.toml")))
        .as("the containerd at %s runs CNI from /usr/lib/cni", ENDPOINT)
        .contains("bin_dir = \"/usr/lib/cni\"");
    local =
        LocalControlPlane.create(
            "kubeboot-e2e-net", NODE, VERSION, "networking:\n  podSubnet: 10.244.0.0/16\n");
    Result init = local.init(LocalControlPlane.cri(ENDPOINT));
    assertThat(init.code()).as(init.out()).isZero();
  }

  @AfterAll
  void tearDown() throws Exception {
    if (local != null) {
      local.tearDown();
    }
    if (cniConfDir != null) {
      Files.deleteIfExists(cniConfDir.resolve(BridgeNetwork.FILE_NAME));
    }
    run(Duration.ofSeconds(10), Map.of(), "ip", "link", "del", BridgeNetwork.BRIDGE);
    NodeFirewall.remove();
  }

  @Test
  void theTutorialsStaticWebPodRunsWithItsOwnIpAndKubectlShowsIt() throws Exception {
    Path temp = local.manifests().resolve(".static-web.yaml.tmp");
    Files.writeString(temp, STATIC_WEB);
    Files.move(temp, local.manifests().resolve("static-web.yaml"), StandardCopyOption.ATOMIC_MOVE);

    Pattern row =
        Pattern.compile(
            "(?m)^static-web-"
                + NODE
                + "\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+(10\\.244\\.0\\.\\d+)\\s+"
                + NODE);
    String[] ip = new String[1];
    waitFor(
        "kubectl get pods -o wide to show static-web Running with its pod IP",
        Duration.ofSeconds(120),
        () -> {
          Matcher m = row.matcher(kubectl("get", "pods", "-o", "wide").out());
          if (m.find()) {
            ip[0] = m.group(1);
            return true;
          }
          return false;
        });
    Result pods = kubectl("get", "pods", "-o", "wide");
    System.out.println("$ kubectl --kubeconfig admin.conf get pods -o wide\n" + pods.out());
    PodStatus pod = E2eSupport.pod("static-web-" + NODE);
    assertThat(pod.podIP()).isEqualTo(ip[0]);
    assertThat(Files.readString(cniConfDir.resolve(BridgeNetwork.FILE_NAME)))
        .as("the node's slice of networking.podSubnet")
        .contains("\"subnet\" : \"10.244.0.0/24\"");

    Result curl =
        run(
            Duration.ofSeconds(20),
            Map.of(),
            "curl",
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "--max-time",
            "5",
            "http://" + ip[0] + "/");
    System.out.println("$ curl http://" + ip[0] + "/  -> " + curl.out());
    assertThat(curl.out()).isEqualTo("200");
  }

  private Result kubectl(String... args) throws Exception {
    var command =
        new ArrayList<>(
            List.of("kubectl", "--kubeconfig", local.kube().resolve("admin.conf").toString()));
    command.addAll(List.of(args));
    return run(Duration.ofSeconds(30), Map.of(), command.toArray(String[]::new));
  }
}
