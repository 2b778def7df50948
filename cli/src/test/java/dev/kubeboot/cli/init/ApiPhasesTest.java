package dev.kubeboot.cli.init;

import static dev.kubeboot.cli.CliRun.kubeboot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.cli.CliRun;
import dev.kubeboot.cli.cluster.CertificateKey;
import dev.kubeboot.cli.cluster.CertsCipher;
import dev.kubeboot.cli.cluster.ComponentConfigHash;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API-side phases through the CLI entry point against fabric8's in-memory API server (CRUD
 * mode): what they write, that a rerun updates, and how a refusing or absent API server is
 * reported. One set of files (ECDSA keys: fast) for the class, a fresh API server per test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiPhasesTest {
  private static final String NODE = "node-1";

  @TempDir static Path dir;
  private Path ecdsaConfig;
  private final Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
  private KubernetesMockServer server;
  private KubernetesClient client;
  private Path kubeconfig;

  @BeforeAll
  void writeFiles() throws Exception {
    ecdsaConfig = dir.resolve("ecdsa.yaml");
    Files.writeString(
        ecdsaConfig,
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        encryptionAlgorithm: ECDSA-P256
        """);
    CliRun files =
        kubeboot(
            "init",
            "--config",
            ecdsaConfig.toString(),
            "--kubernetes-dir",
            dir.toString(),
            "--skip-phases",
            "preflight,runner-start,wait-control-plane",
            "--apiserver-advertise-address",
            "10.0.0.7",
            "--node-name",
            NODE);
    assertThat(files.code()).as(files.err()).isZero();
    assertThat(files.out())
        .contains("the phases that need the API server are skipped too")
        .doesNotContain("[upload-config]");
  }

  @BeforeEach
  void startApiServer() throws Exception {
    expectations.clear();
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            expectations,
            new KubernetesMixedDispatcher(expectations),
            false);
    server.init();
    client = server.createClient();
    kubeconfig = dir.resolve("mock.conf");
    Files.writeString(kubeconfig, kubeconfigFor(client.getMasterUrl().toString()));
  }

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.destroy();
    }
  }

  /** admin.conf's CA, the mock server's (plain HTTP) URL. */
  private String kubeconfigFor(String url) throws Exception {
    String ca = Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("pki/ca.crt")));
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - cluster:
            certificate-authority-data: %s
            server: %s
          name: kubernetes
        contexts:
        - context:
            cluster: kubernetes
            user: admin
          name: admin@kubernetes
        current-context: admin@kubernetes
        users:
        - name: admin
          user: {}
        """
        .formatted(ca, url.replaceAll("/$", ""));
  }

  private CliRun phase(String... phaseAndFlags) {
    List<String> args = new ArrayList<>(List.of("init", "phase"));
    args.addAll(List.of(phaseAndFlags));
    args.addAll(
        List.of(
            "--kubernetes-dir",
            dir.toString(),
            "--kubeconfig",
            kubeconfig.toString(),
            "--apiserver-advertise-address",
            "10.0.0.7",
            "--node-name",
            NODE));
    return kubeboot(args.toArray(String[]::new));
  }

  private void registerNode() {
    client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(NODE)
                .addToLabels("kubernetes.io/hostname", NODE)
                .endMetadata()
                .withNewSpec()
                .withTaints(
                    new TaintBuilder().withKey("example.com/other").withEffect("NoExecute").build())
                .endSpec()
                .build())
        .create();
  }

  private CliRun allApiPhases(String... extra) {
    List<CliRun> runs = new ArrayList<>();
    runs.add(phase("upload-config"));
    List<String> certs = new ArrayList<>(List.of("upload-certs", "--upload-certs"));
    certs.addAll(List.of(extra));
    runs.add(phase(certs.toArray(String[]::new)));
    runs.add(phase("mark-control-plane"));
    runs.add(phase("bootstrap-token", "--token", "abcdef.0123456789abcdef"));
    runs.add(phase("addon"));
    runs.add(phase("show-join-command", "--token", "abcdef.0123456789abcdef"));
    for (CliRun run : runs) {
      assertThat(run.code()).as(run.out() + run.err()).isZero();
    }
    return new CliRun(
        0,
        String.join("", runs.stream().map(CliRun::out).toList()),
        String.join("", runs.stream().map(CliRun::err).toList()));
  }

  @Test
  void everyPhaseWritesKubeadmsObjects() throws Exception {
    registerNode();
    CliRun run = allApiPhases();
    assertThat(run.out())
        .contains(
            "[upload-config] Storing the configuration used in ConfigMap \"kubeadm-config\" in the"
                + " \"kube-system\" Namespace")
        .contains(
            "[kubelet] Creating a ConfigMap \"kubelet-config\" in namespace kube-system with the"
                + " configuration for the kubelets in the cluster")
        .contains(
            "[upload-certs] Storing the certificates in Secret \"kubeadm-certs\" in the"
                + " \"kube-system\" Namespace")
        .contains(
            "[mark-control-plane] Marking the node node-1 as control-plane by adding the labels:"
                + " [node-role.kubernetes.io/control-plane"
                + " node.kubernetes.io/exclude-from-external-load-balancers]")
        .contains(
            "[mark-control-plane] Marking the node node-1 as control-plane by adding the taints"
                + " [node-role.kubernetes.io/control-plane:NoSchedule]")
        .contains("[bootstrap-token] Using token: abcdef.0123456789abcdef")
        .contains(
            "[bootstrap-token] Creating the \"cluster-info\" ConfigMap in the \"kube-public\"")
        .contains("[addons] Applied essential addon: CoreDNS")
        .contains("[addons] Applied essential addon: kube-proxy")
        .contains("Your Kubernetes control-plane has initialized successfully!");

    ConfigMap kubeadmConfig =
        client.configMaps().inNamespace("kube-system").withName("kubeadm-config").get();
    assertThat(kubeadmConfig.getData().get("ClusterConfiguration"))
        .startsWith("apiServer: {}\napiVersion: kubeadm.k8s.io/v1beta4\n")
        .contains("kind: ClusterConfiguration\nkubernetesVersion: v1.34.2\n");
    assertThat(subjects(binding("kubeadm:nodes-kubeadm-config")))
        .containsExactly(
            "Group/system:bootstrappers:kubeadm:default-node-token", "Group/system:nodes");
    ConfigMap kubelet =
        client.configMaps().inNamespace("kube-system").withName("kubelet-config").get();
    assertThat(kubelet.getData().get("kubelet"))
        .contains("clusterDNS:\n- 10.96.0.10\nclusterDomain: cluster.local\n")
        .contains("    clientCAFile: " + dir.resolve("pki/ca.crt") + "\n");
    assertThat(kubelet.getMetadata().getAnnotations())
        .containsEntry(ComponentConfigHash.ANNOTATION, ComponentConfigHash.of(kubelet));
    assertThat(subjects(binding("kubeadm:kubelet-config")))
        .containsExactly(
            "Group/system:nodes", "Group/system:bootstrappers:kubeadm:default-node-token");

    var node = client.nodes().withName(NODE).get();
    assertThat(node.getMetadata().getLabels())
        .containsEntry("node-role.kubernetes.io/control-plane", "")
        .containsEntry("node.kubernetes.io/exclude-from-external-load-balancers", "")
        .containsEntry("kubernetes.io/hostname", NODE);
    assertThat(node.getSpec().getTaints())
        .extracting(t -> t.getKey() + ":" + t.getEffect())
        .containsExactly(
            "node-role.kubernetes.io/control-plane:NoSchedule", "example.com/other:NoExecute");

    Secret token =
        client.secrets().inNamespace("kube-system").withName("bootstrap-token-abcdef").get();
    assertThat(token.getType()).isEqualTo("bootstrap.kubernetes.io/token");
    assertThat(decoded(token))
        .containsEntry("token-id", "abcdef")
        .containsEntry("token-secret", "0123456789abcdef")
        .containsEntry("usage-bootstrap-signing", "true")
        .containsEntry("usage-bootstrap-authentication", "true")
        .containsEntry("auth-extra-groups", "system:bootstrappers:kubeadm:default-node-token")
        .containsKey("expiration");
    for (String name :
        List.of(
            "kubeadm:get-nodes",
            "kubeadm:kubelet-bootstrap",
            "kubeadm:node-autoapprove-bootstrap",
            "kubeadm:node-autoapprove-certificate-rotation",
            "kubeadm:cluster-admins")) {
      assertThat(client.resources(ClusterRoleBinding.class).withName(name).get())
          .as(name)
          .isNotNull();
    }
    ConfigMap clusterInfo =
        client.configMaps().inNamespace("kube-public").withName("cluster-info").get();
    assertThat(clusterInfo.getData().get("kubeconfig"))
        .contains("  name: \"\"\ncontexts: null\ncurrent-context: \"\"\nkind: Config\n");
    assertThat(
            subjects(
                client
                    .resources(RoleBinding.class)
                    .inNamespace("kube-public")
                    .withName("kubeadm:bootstrap-signer-clusterinfo")
                    .get()))
        .containsExactly("User/system:anonymous");

    Service dns = client.services().inNamespace("kube-system").withName("kube-dns").get();
    assertThat(dns.getSpec().getClusterIP()).isEqualTo("10.96.0.10");
    Deployment coredns =
        client.apps().deployments().inNamespace("kube-system").withName("coredns").get();
    assertThat(coredns.getSpec().getReplicas()).isEqualTo(2);
    assertThat(coredns.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
        .isEqualTo("registry.k8s.io/coredns/coredns:v1.12.1");
    DaemonSet proxy =
        client.apps().daemonSets().inNamespace("kube-system").withName("kube-proxy").get();
    assertThat(proxy.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
        .isEqualTo("registry.k8s.io/kube-proxy:v1.34.2");
    ConfigMap proxyConfig =
        client.configMaps().inNamespace("kube-system").withName("kube-proxy").get();
    assertThat(proxyConfig.getData().get("kubeconfig.conf"))
        .contains("server: https://10.0.0.7:6443");
    assertThat(proxyConfig.getMetadata().getAnnotations())
        .containsEntry(ComponentConfigHash.ANNOTATION, ComponentConfigHash.of(proxyConfig));
  }

  @Test
  void uploadedCertsDecryptToTheFilesOnDiskAndBelongToAShortLivedToken() throws Exception {
    CliRun run = phase("upload-certs", "--upload-certs");
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    Matcher printed =
        Pattern.compile("\\[upload-certs\\] Using certificate key:\n([0-9a-f]{64})\n")
            .matcher(run.out());
    assertThat(printed.find()).as(run.out()).isTrue();
    CertificateKey key = CertificateKey.parse(printed.group(1)).orElseThrow();

    Secret certs = client.secrets().inNamespace("kube-system").withName("kubeadm-certs").get();
    assertThat(certs.getData().keySet())
        .containsExactlyInAnyOrder(
            "ca.crt",
            "ca.key",
            "sa.key",
            "sa.pub",
            "front-proxy-ca.crt",
            "front-proxy-ca.key",
            "etcd-ca.crt",
            "etcd-ca.key");
    var cipher = new CertsCipher(key, new SecureRandom());
    for (var entry : certs.getData().entrySet()) {
      byte[] onDisk =
          Files.readAllBytes(dir.resolve("pki").resolve(entry.getKey().replace("etcd-", "etcd/")));
      assertThat(cipher.decrypt(Base64.getDecoder().decode(entry.getValue())))
          .as(entry.getKey())
          .isEqualTo(onDisk);
    }
    var owner = certs.getMetadata().getOwnerReferences().getFirst();
    assertThat(owner.getKind()).isEqualTo("Secret");
    assertThat(owner.getController()).isTrue();
    assertThat(owner.getBlockOwnerDeletion()).isTrue();
    Secret ttlToken = client.secrets().inNamespace("kube-system").withName(owner.getName()).get();
    assertThat(owner.getUid()).isEqualTo(ttlToken.getMetadata().getUid());
    assertThat(decoded(ttlToken))
        .containsEntry("description", "Proxy for managing TTL for the kubeadm-certs secret")
        .containsKeys("token-id", "token-secret", "expiration")
        .doesNotContainKeys(
            "usage-bootstrap-signing", "usage-bootstrap-authentication", "auth-extra-groups");
    assertThat(subjects(binding("kubeadm:kubeadm-certs")))
        .containsExactly("Group/system:bootstrappers:kubeadm:default-node-token");
  }

  @Test
  void aGivenCertificateKeyIsUsedAndCanBeKeptQuiet() throws Exception {
    String hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    CliRun run =
        phase(
            "upload-certs",
            "--upload-certs",
            "--certificate-key",
            hex,
            "--skip-certificate-key-print");
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).doesNotContain(hex).doesNotContain("Using certificate key");
    Secret certs = client.secrets().inNamespace("kube-system").withName("kubeadm-certs").get();
    byte[] ca =
        new CertsCipher(CertificateKey.parse(hex).orElseThrow(), new SecureRandom())
            .decrypt(Base64.getDecoder().decode(certs.getData().get("ca.crt")));
    assertThat(ca).isEqualTo(Files.readAllBytes(dir.resolve("pki/ca.crt")));
  }

  @Test
  void withoutUploadCertsThePhaseDoesNothing() {
    CliRun run = phase("upload-certs");
    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("[upload-certs] Skipping phase. Please see --upload-certs");
    assertThat(client.secrets().inNamespace("kube-system").list().getItems()).isEmpty();
  }

  @Test
  void aRerunUpdatesInsteadOfFailingAndKeepsWhatOthersAdded() throws Exception {
    registerNode();
    allApiPhases();
    client
        .configMaps()
        .inNamespace("kube-system")
        .withName("kubeadm-config")
        .edit(
            cm -> {
              cm.getData().put("Extra", "kept");
              return cm;
            });
    client.apps().deployments().inNamespace("kube-system").withName("coredns").scale(5);
    long objectsBefore = countObjects();

    CliRun again = allApiPhases();

    assertThat(again.out()).contains("Your Kubernetes control-plane has initialized successfully!");
    ConfigMap kubeadmConfig =
        client.configMaps().inNamespace("kube-system").withName("kubeadm-config").get();
    assertThat(kubeadmConfig.getData())
        .containsKey("ClusterConfiguration")
        .containsEntry("Extra", "kept");
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace("kube-system")
                .withName("coredns")
                .get()
                .getSpec()
                .getReplicas())
        .as("a scaled CoreDNS keeps its replicas")
        .isEqualTo(5);
    assertThat(client.nodes().withName(NODE).get().getSpec().getTaints()).hasSize(2);
    // One more short-lived token per upload-certs run, nothing else new.
    assertThat(countObjects()).isEqualTo(objectsBefore + 1);
  }

  @Test
  void anApiServerThatRefusesIsNamedWithThePhaseAndTheObject() {
    server
        .expect()
        .get()
        .withPath("/api/v1/namespaces/kube-system/configmaps/kubeadm-config")
        .andReturn(
            403,
            new StatusBuilder()
                .withStatus("Failure")
                .withReason("Forbidden")
                .withCode(403)
                .withMessage("configmaps \"kubeadm-config\" is forbidden: User \"x\" cannot get")
                .build())
        .always();

    CliRun run = phase("upload-config", "kubeadm");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("phase upload-config/kubeadm:")
        .contains("refused to create or update ConfigMap kube-system/kubeadm-config")
        .contains("403");
  }

  @Test
  void anApiServerThatIsDownFailsAfterTheApiCallTimeout() throws Exception {
    int port;
    try (var socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Files.writeString(kubeconfig, kubeconfigFor("http://127.0.0.1:" + port));
    Path config = dir.resolve("short-timeout.yaml");
    Files.writeString(
        config,
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: InitConfiguration
        timeouts:
          kubernetesAPICall: 1s
        """);

    CliRun run = phase("bootstrap-token", "--config", config.toString());

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("phase bootstrap-token:")
        .contains("could not reach the API server at http://127.0.0.1:" + port)
        .contains("kubernetesAPICall");
  }

  @Test
  void aMalformedCertificateKeyIsAUsageErrorBeforeAnythingIsWritten() throws Exception {
    Path empty = dir.resolve("fresh");
    Files.createDirectories(empty);
    CliRun run =
        kubeboot(
            "init",
            "phase",
            "upload-certs",
            "--upload-certs",
            "--certificate-key",
            "not-hex",
            "--kubernetes-dir",
            empty.toString(),
            "--kubeconfig",
            kubeconfig.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--certificate-key must be 64 hexadecimal characters");
    try (Stream<Path> files = Files.list(empty)) {
      assertThat(files).isEmpty();
    }
    assertThat(client.secrets().inNamespace("kube-system").list().getItems()).isEmpty();
    CliRun tooShort =
        phase(
            "upload-certs",
            "--upload-certs",
            "--certificate-key",
            "00112233445566778899aabbccddeeff");
    assertThat(tooShort.code()).isEqualTo(2);
  }

  @Test
  void aMalformedTokenIsAUsageError() {
    CliRun run = phase("bootstrap-token", "--token", "ABCDEF.0123456789abcdef");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--token").contains("[a-z0-9]{6}.[a-z0-9]{16}");
  }

  @Test
  void aDryRunSaysWhatItWouldWriteAndPrintsNoSecret() throws Exception {
    Path fresh = dir.resolve("dry");
    CliRun run =
        kubeboot(
            "init",
            "--dry-run",
            "--config",
            ecdsaConfig.toString(),
            "--upload-certs",
            "--kubernetes-dir",
            fresh.toString(),
            "--skip-phases",
            "preflight",
            "--apiserver-advertise-address",
            "10.0.0.7",
            "--node-name",
            NODE,
            "--token",
            "abcdef.0123456789abcdef");
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("[dryrun] Would create or update ConfigMap kube-system/kubeadm-config")
        .contains("[dryrun] Would create or update Secret kube-system/kubeadm-certs")
        .contains("[dryrun] Would patch Node node-1")
        .doesNotContain("[bootstrap-token] Using token")
        .contains("--token <value withheld>")
        .doesNotContain("0123456789abcdef");
    assertThat(Files.exists(fresh)).isFalse();
  }

  private RoleBinding binding(String name) {
    return client.resources(RoleBinding.class).inNamespace("kube-system").withName(name).get();
  }

  private static List<String> subjects(RoleBinding binding) {
    return binding.getSubjects().stream()
        .map((Subject s) -> s.getKind() + "/" + s.getName())
        .toList();
  }

  private static Map<String, String> decoded(Secret secret) {
    Map<String, String> out = new HashMap<>();
    secret
        .getData()
        .forEach(
            (k, v) ->
                out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    return out;
  }

  private long countObjects() {
    return client.configMaps().inAnyNamespace().list().getItems().size()
        + client.secrets().inAnyNamespace().list().getItems().size()
        + client.services().inAnyNamespace().list().getItems().size()
        + client.serviceAccounts().inAnyNamespace().list().getItems().size()
        + client.apps().deployments().inAnyNamespace().list().getItems().size()
        + client.apps().daemonSets().inAnyNamespace().list().getItems().size()
        + client.rbac().roles().inAnyNamespace().list().getItems().size()
        + client.rbac().roleBindings().inAnyNamespace().list().getItems().size()
        + client.rbac().clusterRoles().list().getItems().size()
        + client.rbac().clusterRoleBindings().list().getItems().size();
  }
}
