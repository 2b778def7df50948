package dev.kubeboot.testing.e2e;

import static dev.kubeboot.testing.e2e.E2eSupport.kubeboot;
import static dev.kubeboot.testing.e2e.E2eSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kubeboot.testing.PythonJws;
import dev.kubeboot.testing.e2e.E2eSupport.Result;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The API-side half of `kubeboot init` end to end: the real etcd, the stand-ins from testing/bin,
 * then upload-config, upload-certs, mark-control-plane, bootstrap-token, the addons and the join
 * commands, all looked at with the real kubectl; the uploaded certificates opened with Python's
 * AES-GCM and the CA pin recomputed with openssl, not with kubeboot's own code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiPhasesEndToEndIT {
  private static final String NODE = "e2e-api";
  private static final String TOKEN = "e2eapi.0123456789abcdef";
  private static final Path PYTHON = Path.of("/usr/bin/python3");

  private LocalControlPlane local;
  private String initOutput;

  @BeforeAll
  void setUp() throws Exception {
    E2eSupport.assumeEtcd();
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")), "kubectl is not installed");
    assumeTrue(Files.isExecutable(PYTHON), "Debian's python3 (python3-cryptography) is missing");
    E2eSupport.assertJarsBuilt();
    local =
        LocalControlPlane.create(
            "kubeboot-api-e2e", NODE, "", "controlPlaneEndpoint: 127.0.0.1:6443\n");
  }

  @AfterAll
  void tearDown() throws Exception {
    if (local != null) {
      local.tearDown();
    }
  }

  private Result init(String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("--token", TOKEN));
    args.addAll(List.of(extra));
    return local.init(LocalControlPlane.PROCESS, args.toArray(String[]::new));
  }

  @Test
  @Order(1)
  void initRunsEveryApiPhaseAndPrintsTheJoinCommands() throws Exception {
    Result init = init("--upload-certs");
    assertThat(init.code()).as(init.out()).isZero();
    initOutput = init.out();
    System.out.println(
        "$ kubeboot init --upload-certs ...  # from upload-config on\n"
            + initOutput.substring(Math.max(0, initOutput.indexOf("[upload-config]"))));
    assertThat(initOutput)
        .contains("[upload-config] Storing the configuration used in ConfigMap \"kubeadm-config\"")
        .contains("[upload-certs] Storing the certificates in Secret \"kubeadm-certs\"")
        .contains("[mark-control-plane] Marking the node " + NODE + " as control-plane")
        .contains("[bootstrap-token] Using token: " + TOKEN)
        .contains("[addons] Applied essential addon: CoreDNS")
        .contains("[addons] Applied essential addon: kube-proxy")
        .contains("Your Kubernetes control-plane has initialized successfully!")
        .contains("You can now join any number of control-plane nodes running the following")
        .contains("  kubeboot join 127.0.0.1:6443 --token " + TOKEN + " \\\n\t")
        .contains("\\\n\t--control-plane --certificate-key ")
        .contains("\nkubeadm join 127.0.0.1:6443 --token " + TOKEN + " \\\n\t")
        .contains("uploaded-certs will be deleted in two hours");
  }

  @Test
  @Order(2)
  void kubectlSeesTheConfigMapsTheTokenAndClusterInfo() throws Exception {
    ConfigMap kubeadmConfig = get(ConfigMap.class, "configmap", "kubeadm-config", "kube-system");
    assertThat(kubeadmConfig.getData().get("ClusterConfiguration"))
        .contains("apiVersion: kubeadm.k8s.io/v1beta4\n")
        .contains("controlPlaneEndpoint: 127.0.0.1:6443\n")
        .contains("kind: ClusterConfiguration\n");
    ConfigMap kubelet = get(ConfigMap.class, "configmap", "kubelet-config", "kube-system");
    assertThat(kubelet.getData().get("kubelet"))
        .contains("kind: KubeletConfiguration\n")
        .contains("clusterDNS:\n- 10.96.0.10\n");
    assertThat(kubelet.getMetadata().getAnnotations())
        .containsKey("kubeadm.kubernetes.io/component-config.hash");

    Secret token = get(Secret.class, "secret", "bootstrap-token-e2eapi", "kube-system");
    assertThat(token.getType()).isEqualTo("bootstrap.kubernetes.io/token");
    assertThat(decode(token.getData().get("token-secret"))).isEqualTo("0123456789abcdef");
    assertThat(decode(token.getData().get("usage-bootstrap-signing"))).isEqualTo("true");

    ConfigMap clusterInfo = get(ConfigMap.class, "configmap", "cluster-info", "kube-public");
    String kubeconfig = clusterInfo.getData().get("kubeconfig");
    assertThat(kubeconfig)
        .contains("    server: https://127.0.0.1:6443\n")
        .contains("  name: \"\"\n")
        .contains(
            "certificate-authority-data: "
                + Base64.getEncoder()
                    .encodeToString(Files.readAllBytes(local.kube().resolve("pki/ca.crt"))));
    for (String binding :
        List.of(
            "kubeadm:kubelet-bootstrap",
            "kubeadm:node-autoapprove-bootstrap",
            "kubeadm:node-autoapprove-certificate-rotation",
            "kubeadm:get-nodes",
            "kubeadm:cluster-admins")) {
      assertThat(kubectl("get", "clusterrolebinding", binding).code()).as(binding).isZero();
    }
    assertThat(
            kubectl(
                    "get",
                    "rolebinding",
                    "kubeadm:bootstrap-signer-clusterinfo",
                    "-n",
                    "kube-public",
                    "-o",
                    "jsonpath={.subjects[0].kind}/{.subjects[0].name}")
                .out())
        .isEqualTo("User/system:anonymous");
  }

  @Test
  @Order(2)
  void theControllerManagerSignsClusterInfoWithTheTokenForAnonymousReaders() throws Exception {
    // What `kubeadm join` does first: read cluster-info with no credentials, check the JWS.
    String[] anonymous = {
      "curl",
      "-sS",
      "--fail",
      "--cacert",
      local.kube().resolve("pki/ca.crt").toString(),
      "https://127.0.0.1:6443/api/v1/namespaces/kube-public/configmaps/cluster-info"
    };
    String tokenId = TOKEN.substring(0, TOKEN.indexOf('.'));
    String[] clusterInfo = new String[1];
    E2eSupport.waitFor(
        "kube-controller-manager's bootstrapsigner to sign cluster-info with token " + tokenId,
        Duration.ofSeconds(60),
        () -> {
          Result got = run(Duration.ofSeconds(10), Map.of(), anonymous);
          clusterInfo[0] = got.out();
          return got.code() == 0 && got.out().contains("\"jws-kubeconfig-" + tokenId + "\"");
        });
    PythonJws.Verdict verdict =
        PythonJws.verify(
            local.work(), clusterInfo[0], tokenId, TOKEN.substring(TOKEN.indexOf('.') + 1));
    assertThat(verdict.valid()).as(verdict.output()).isTrue();
    assertThat(PythonJws.verify(local.work(), clusterInfo[0], tokenId, "0000000000000000").valid())
        .as("the signature is the token's, not any secret's")
        .isFalse();
  }

  @Test
  @Order(3)
  void theNodeIsLabelledAndTaintedAndTheAddonsAreThere() throws Exception {
    Node node = get(Node.class, "node", NODE, null);
    assertThat(node.getMetadata().getLabels())
        .containsEntry("node-role.kubernetes.io/control-plane", "")
        .containsEntry("node.kubernetes.io/exclude-from-external-load-balancers", "");
    assertThat(node.getSpec().getTaints())
        .extracting(t -> t.getKey() + ":" + t.getEffect())
        .contains("node-role.kubernetes.io/control-plane:NoSchedule");

    assertThat(
            kubectl(
                    "get",
                    "service",
                    "kube-dns",
                    "-n",
                    "kube-system",
                    "-o",
                    "jsonpath={.spec.clusterIP}")
                .out())
        .isEqualTo("10.96.0.10");
    assertThat(
            kubectl(
                    "get",
                    "deployment",
                    "coredns",
                    "-n",
                    "kube-system",
                    "-o",
                    "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}")
                .out())
        .isEqualTo("2 registry.k8s.io/coredns/coredns:v1.12.1");
    assertThat(
            kubectl(
                    "get",
                    "daemonset",
                    "kube-proxy",
                    "-n",
                    "kube-system",
                    "-o",
                    "jsonpath={.spec.template.spec.containers[0].image}")
                .out())
        .isEqualTo("registry.k8s.io/kube-proxy:v1.34.2");
    for (String[] object :
        List.of(
            new String[] {"configmap", "coredns"},
            new String[] {"configmap", "kube-proxy"},
            new String[] {"serviceaccount", "coredns"},
            new String[] {"serviceaccount", "kube-proxy"},
            new String[] {"role", "kube-proxy"},
            new String[] {"rolebinding", "kube-proxy"})) {
      Result got = kubectl("get", object[0], object[1], "-n", "kube-system");
      assertThat(got.code()).as(String.join(" ", object) + ": " + got.out()).isZero();
    }
    assertThat(kubectl("get", "clusterrole", "system:coredns").code()).isZero();
  }

  @Test
  @Order(4)
  void theUploadedCertsOpenWithAnIndependentAesGcmToTheFilesOnDisk() throws Exception {
    Matcher key = Pattern.compile("--certificate-key ([0-9a-f]{64})").matcher(initOutput);
    assertThat(key.find()).as(initOutput).isTrue();
    Result secret = kubectl("get", "secret", "kubeadm-certs", "-n", "kube-system", "-o", "json");
    assertThat(secret.code()).as(secret.out()).isZero();
    Path json = local.work().resolve("kubeadm-certs.json");
    Files.writeString(json, secret.out().substring(secret.out().indexOf('{')));
    Path out = local.work().resolve("opened");
    Files.createDirectories(out);
    String script =
        """
        import base64, json, sys
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        aes = AESGCM(bytes.fromhex(sys.argv[1]))
        for name, value in json.load(open(sys.argv[2]))['data'].items():
            data = base64.b64decode(value)
            open(sys.argv[3] + '/' + name, 'wb').write(aes.decrypt(data[:12], data[12:], None))
        """;
    Result python =
        run(
            Duration.ofSeconds(60),
            Map.of(),
            PYTHON.toString(),
            "-c",
            script,
            key.group(1),
            json.toString(),
            out.toString());
    assertThat(python.code()).as(python.out()).isZero();
    Map<String, String> files =
        Map.of(
            "ca.crt", "ca.crt",
            "ca.key", "ca.key",
            "sa.key", "sa.key",
            "sa.pub", "sa.pub",
            "front-proxy-ca.crt", "front-proxy-ca.crt",
            "front-proxy-ca.key", "front-proxy-ca.key",
            "etcd-ca.crt", "etcd/ca.crt",
            "etcd-ca.key", "etcd/ca.key");
    for (var entry : files.entrySet()) {
      assertThat(Files.readAllBytes(out.resolve(entry.getKey())))
          .as(entry.getKey())
          .isEqualTo(Files.readAllBytes(local.kube().resolve("pki").resolve(entry.getValue())));
    }
    String owner =
        kubectl(
                "get",
                "secret",
                "kubeadm-certs",
                "-n",
                "kube-system",
                "-o",
                "jsonpath={.metadata.ownerReferences[0].name}")
            .out();
    assertThat(owner).startsWith("bootstrap-token-");
    assertThat(kubectl("get", "secret", owner, "-n", "kube-system").code()).isZero();
  }

  @Test
  @Order(5)
  void theCaHashInTheJoinCommandIsOpensslsPinOfTheCa() throws Exception {
    Matcher hash =
        Pattern.compile("--discovery-token-ca-cert-hash sha256:([0-9a-f]{64})").matcher(initOutput);
    assertThat(hash.find()).as(initOutput).isTrue();
    Result openssl =
        run(
            Duration.ofSeconds(30),
            Map.of(),
            "sh",
            "-c",
            "openssl x509 -pubkey -noout -in \"$1\" | openssl pkey -pubin -outform der"
                + " | openssl dgst -sha256 -hex",
            "sh",
            local.kube().resolve("pki/ca.crt").toString());
    assertThat(openssl.out().strip()).endsWith(" " + hash.group(1));
  }

  @Test
  @Order(6)
  void tokenCreateListDeleteRoundTrips() throws Exception {
    Result create =
        kubeboot(
            Duration.ofMinutes(1),
            "token",
            "create",
            "--kubernetes-dir",
            local.kube().toString(),
            "--ttl",
            "2h",
            "--description",
            "for a worker",
            "--print-join-command");
    assertThat(create.code()).as(create.out()).isZero();
    Matcher created =
        Pattern.compile(
                "kubeadm join 127\\.0\\.0\\.1:6443 --token ([a-z0-9]{6})\\.[a-z0-9]{16}"
                    + " --discovery-token-ca-cert-hash sha256:[0-9a-f]{64} ")
            .matcher(create.out());
    assertThat(created.find()).as(create.out()).isTrue();
    String id = created.group(1);
    assertThat(kubectl("get", "secret", "bootstrap-token-" + id, "-n", "kube-system").code())
        .isZero();

    Result list =
        kubeboot(
            Duration.ofMinutes(1), "token", "list", "--kubernetes-dir", local.kube().toString());
    assertThat(list.code()).as(list.out()).isZero();
    assertThat(list.out())
        .containsPattern("TOKEN +TTL +EXPIRES +USAGES +DESCRIPTION +EXTRA GROUPS\n")
        .containsPattern(
            id + "\\.[a-z0-9]{16}   1h\\s+\\S+Z\\s+authentication,signing   for a worker")
        .contains(TOKEN);
    Result json =
        kubeboot(
            Duration.ofMinutes(1),
            "token",
            "list",
            "--kubernetes-dir",
            local.kube().toString(),
            "-o",
            "json");
    assertThat(json.out())
        .contains("\"apiVersion\": \"output.kubeadm.k8s.io/v1alpha3\"")
        .contains("\"description\": \"for a worker\"");

    Result again =
        kubeboot(
            Duration.ofMinutes(1),
            "token",
            "create",
            TOKEN,
            "--kubernetes-dir",
            local.kube().toString());
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.out()).contains("a token with id \"e2eapi\" already exists");

    Result delete =
        kubeboot(
            Duration.ofMinutes(1),
            "token",
            "delete",
            id,
            "--kubernetes-dir",
            local.kube().toString());
    assertThat(delete.code()).as(delete.out()).isZero();
    assertThat(delete.out()).contains("bootstrap token \"" + id + "\" deleted");
    assertThat(kubectl("get", "secret", "bootstrap-token-" + id, "-n", "kube-system").code())
        .isNotZero();
    assertThat(
            kubeboot(
                    Duration.ofMinutes(1),
                    "token",
                    "list",
                    "--kubernetes-dir",
                    local.kube().toString())
                .out())
        .doesNotContain(id + ".");
  }

  @Test
  @Order(7)
  void aSecondInitUpdatesEverythingAndAReuploadTakesTheGivenKey() throws Exception {
    Result again = init();
    assertThat(again.code()).as(again.out()).isZero();
    assertThat(again.out())
        .contains("[upload-certs] Skipping phase. Please see --upload-certs")
        .contains("Your Kubernetes control-plane has initialized successfully!");
    String key = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    Result upload =
        kubeboot(
            Duration.ofMinutes(1),
            "init",
            "phase",
            "upload-certs",
            "--upload-certs",
            "--certificate-key",
            key,
            "--config",
            local.config().toString(),
            "--kubernetes-dir",
            local.kube().toString());
    assertThat(upload.code()).as(upload.out()).isZero();
    assertThat(upload.out()).contains("[upload-certs] Using certificate key:\n" + key + "\n");
    Result bad =
        kubeboot(
            Duration.ofMinutes(1),
            "init",
            "phase",
            "upload-certs",
            "--upload-certs",
            "--certificate-key",
            "xyz",
            "--config",
            local.config().toString(),
            "--kubernetes-dir",
            local.kube().toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.out()).contains("--certificate-key must be 64 hexadecimal characters");
  }

  private <T> T get(Class<T> type, String kind, String name, String namespace) throws Exception {
    List<String> args = new ArrayList<>(List.of("get", kind, name, "-o", "json"));
    if (namespace != null) {
      args.addAll(List.of("-n", namespace));
    }
    Result result = kubectl(args.toArray(String[]::new));
    assertThat(result.code()).as(result.out()).isZero();
    return Serialization.unmarshal(result.out().substring(result.out().indexOf('{')), type);
  }

  private Result kubectl(String... args) throws Exception {
    var command =
        new ArrayList<String>(
            List.of(
                "/usr/bin/kubectl", "--kubeconfig", local.kube().resolve("admin.conf").toString()));
    command.addAll(List.of(args));
    return run(Duration.ofSeconds(30), Map.of(), command.toArray(String[]::new));
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
