package dev.kubeboot.testing.e2e;

import static dev.kubeboot.testing.e2e.E2eSupport.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kubeboot.testing.e2e.E2eSupport.Result;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * `kubeboot init` against an external etcd: a 3-member Debian etcd cluster over mutual TLS (a test
 * CA made with openssl) runs in namespaces n1-n3, the control plane in n4 (process runtime, the API
 * stand-ins), bad configurations in n5. No etcd pod, no etcd certificates, the API server's flags
 * name the external cluster, its objects land in that etcd (read back with etcdctl), `status`
 * checks each endpoint, and `reset` leaves etcd's data alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExternalEtcdEndToEndIT {
  private static final List<String> ETCD_CERTS =
      List.of(
          "etcd/ca",
          "etcd/server",
          "etcd/peer",
          "etcd/healthcheck-client",
          "apiserver-etcd-client");

  private NetnsCluster cluster;
  private NetnsNode cp;
  private Path pki;
  private final List<Process> members = new ArrayList<>();

  @BeforeAll
  void setUp() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/etcd")),
        "Debian's etcd (etcd-server) is not installed: scripts/test.sh installs it");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/etcdctl")), "etcdctl is not installed");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")), "kubectl is not installed");
    assertThat(E2eSupport.REPO.resolve("cli/target/kubeboot.jar")).exists();
    assertThat(E2eSupport.REPO.resolve("testing/target/kubeboot-testing.jar")).exists();
    cluster = NetnsCluster.create(Files.createTempDirectory("kubeboot-ext-etcd-e2e"), 5, 1);
    cp = cluster.node(4);
    pki = cp.dir().resolveSibling("etcd-pki");
    Files.createDirectories(pki);
    makeCertificates();
    String initialCluster =
        etcdNodes().stream()
            .map(n -> "m%d=https://%s:2380".formatted(n.index(), n.address()))
            .collect(Collectors.joining(","));
    for (NetnsNode n : etcdNodes()) {
      members.add(startMember(n, initialCluster));
    }
    waitFor(
        "the three etcd members to be healthy over mTLS",
        Duration.ofSeconds(60),
        () -> etcdctl("endpoint", "health").code() == 0);
  }

  @AfterAll
  void tearDown() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private List<NetnsNode> etcdNodes() {
    return cluster.nodes().subList(0, 3);
  }

  private String endpoints() {
    return etcdNodes().stream()
        .map(n -> "https://" + n.address() + ":2379")
        .collect(Collectors.joining(","));
  }

  private String config(NetnsNode node, String etcd) {
    return """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: InitConfiguration
        localAPIEndpoint:
          advertiseAddress: %s
        nodeRegistration:
          name: %s
        ---
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        etcd:
          external:
        %s"""
        .formatted(node.address(), node.name(), etcd.indent(4));
  }

  private String externalFiles(String endpoints) {
    return """
        endpoints: [%s]
        caFile: %s
        certFile: %s
        keyFile: %s
        """
        .formatted(
            endpoints, pki.resolve("ca.crt"), pki.resolve("client.crt"), pki.resolve("client.key"));
  }

  private Result init(NetnsNode node, Path config) throws Exception {
    return node.kubeboot(
        Duration.ofMinutes(5),
        "init",
        "--config",
        config.toString(),
        "--kubernetes-dir",
        node.kubernetesDir().toString(),
        "--container-runtime",
        "process",
        "--timeout",
        "3m");
  }

  @Test
  @Order(1)
  void initRunsNoEtcdAndPointsTheApiServerAtTheExternalCluster() throws Exception {
    Path config = cp.write("kubeadm.yaml", config(cp, externalFiles(endpoints())));
    Result init = init(cp, config);
    assertThat(init.code()).as(init.out()).isZero();
    for (String cert : ETCD_CERTS) {
      assertThat(init.out())
          .contains("[certs] External etcd mode: Skipping " + cert + " certificate generation");
    }
    assertThat(init.out())
        .contains("External etcd mode: Skipping the creation of a manifest for local etcd");
    Path kube = cp.kubernetesDir();
    assertThat(kube.resolve("manifests/etcd.yaml")).doesNotExist();
    assertThat(kube.resolve("pki/etcd")).doesNotExist();
    assertThat(kube.resolve("pki/apiserver-etcd-client.crt")).doesNotExist();
    assertThat(Files.readString(kube.resolve("manifests/kube-apiserver.yaml")))
        .contains("- --etcd-servers=" + endpoints() + "\n")
        .contains("- --etcd-cafile=" + pki.resolve("ca.crt") + "\n")
        .contains("- --etcd-certfile=" + pki.resolve("client.crt") + "\n")
        .contains("- --etcd-keyfile=" + pki.resolve("client.key") + "\n");

    waitFor(
        "kubectl to list the three mirror pods Running",
        Duration.ofSeconds(60),
        () -> {
          String pods = kubectl("get", "pods", "-n", "kube-system").out();
          return List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler").stream()
              .allMatch(c -> pods.matches("(?s).*\\n" + c + "-node4\\s+1/1\\s+Running.*"));
        });
    Result pods = kubectl("get", "pods", "-n", "kube-system", "-o", "name");
    assertThat(pods.out()).doesNotContain("etcd");
  }

  @Test
  @Order(2)
  void theClusterObjectsLiveInTheExternalEtcd() throws Exception {
    Result keys = etcdctl("get", "/registry/", "--prefix", "--keys-only");
    assertThat(keys.code()).as(keys.out()).isZero();
    System.out.println(
        "$ etcdctl get /registry/ --prefix --keys-only | grep -c .  # on the external cluster\n"
            + keys.out().lines().filter(l -> !l.isBlank()).count());
    assertThat(keys.out()).contains("kubeadm-config").contains("node4");
    Result created = kubectl("create", "configmap", "landed-externally", "-n", "default");
    assertThat(created.code()).as(created.out()).isZero();
    // Read from each member on its own: the write was replicated by etcd's Raft.
    for (NetnsNode n : etcdNodes()) {
      Result one =
          etcdctlAt(
              "https://" + n.address() + ":2379",
              "get",
              "/registry/configmaps/default/landed-externally",
              "--keys-only");
      assertThat(one.out()).as(n.name()).contains("/registry/configmaps/default/landed-externally");
    }
  }

  @Test
  @Order(3)
  void statusChecksEachExternalEndpoint() throws Exception {
    Result status = status();
    System.out.println("$ kubeboot status\n" + status.out());
    assertThat(status.code()).as(status.out()).isZero();
    for (NetnsNode n : etcdNodes()) {
      assertThat(status.out())
          .containsPattern(
              "etcd \\(external\\)\\s+https://"
                  + n.address().replace(".", "\\.")
                  + ":2379\\s+External\\s+true\\s+0\\s+-\\s+-\\s+ok");
    }

    members.get(2).destroyForcibly().waitFor();
    Result degraded = status();
    System.out.println("$ kubeboot status   # member m3 killed\n" + degraded.out());
    assertThat(degraded.code()).isEqualTo(1);
    assertThat(degraded.out())
        .containsPattern(
            "https://"
                + etcdNodes().get(2).address().replace(".", "\\.")
                + ":2379\\s+External\\s+false")
        .contains("Control plane: NOT healthy");
    // Two of three still make a quorum: writes commit.
    Result created = kubectl("create", "configmap", "two-of-three", "-n", "default");
    assertThat(created.code()).as(created.out()).isZero();
    assertThat(
            etcdctlAt(
                    "https://" + etcdNodes().getFirst().address() + ":2379",
                    "get",
                    "/registry/configmaps/default/two-of-three",
                    "--keys-only")
                .out())
        .contains("two-of-three");
  }

  @Test
  @Order(4)
  void badExternalEtcdConfigsNameTheFieldAndWriteNothing() throws Exception {
    NetnsNode spare = cluster.node(5);
    Path noCerts =
        spare.write(
            "no-certs.yaml",
            config(spare, "endpoints: [https://" + etcdNodes().getFirst().address() + ":2379]\n"));
    // Valid as in kubeadm, but this etcd wants a client certificate: preflight says so.
    Result usage = init(spare, noCerts);
    assertThat(usage.code()).as(usage.out()).isEqualTo(1);
    assertThat(usage.out())
        .contains("[ERROR ExternalEtcdVersion]: ClusterConfiguration.etcd.external.endpoints[0]:");
    assertThat(spare.kubernetesDir().resolve("pki")).doesNotExist();
    assertThat(spare.kubernetesDir().resolve("manifests")).doesNotExist();

    Path certWithoutCa =
        spare.write(
            "no-ca.yaml",
            config(
                spare,
                "endpoints: [https://"
                    + etcdNodes().getFirst().address()
                    + ":2379]\ncertFile: /etc/client.crt\nkeyFile: /etc/client.key\n"));
    Result noCa = init(spare, certWithoutCa);
    assertThat(noCa.code()).as(noCa.out()).isEqualTo(2);
    assertThat(noCa.out())
        .contains("ClusterConfiguration.etcd.external.caFile: required with certFile and keyFile");
    assertThat(spare.kubernetesDir().resolve("pki")).doesNotExist();

    // Nothing listens on 2390 in node 5's namespace: connection refused, fast.
    Path unreachable =
        spare.write("unreachable.yaml", config(spare, externalFiles("https://127.0.0.1:2390")));
    Result failed = init(spare, unreachable);
    assertThat(failed.code()).as(failed.out()).isEqualTo(1);
    assertThat(failed.out())
        .contains(
            "[ERROR ExternalEtcdVersion]: ClusterConfiguration.etcd.external.endpoints[0]:"
                + " https://127.0.0.1:2390 does not answer as a healthy etcd");
    assertThat(spare.kubernetesDir().resolve("pki")).doesNotExist();
    assertThat(spare.kubernetesDir().resolve("manifests")).doesNotExist();

    Path missing =
        spare.write(
            "missing.yaml",
            config(spare, externalFiles(endpoints()).replace("client.key", "absent.key")));
    Result noFile = init(spare, missing);
    assertThat(noFile.code()).as(noFile.out()).isEqualTo(1);
    assertThat(noFile.out())
        .contains(
            "[ERROR ExternalEtcdClientCertificates]: ClusterConfiguration.etcd.external"
                + ".keyFile: "
                + pki.resolve("absent.key")
                + " does not exist");
  }

  @Test
  @Order(5)
  void resetLeavesTheExternalEtcdDataAlone() throws Exception {
    Result reset =
        cp.kubeboot(
            Duration.ofMinutes(3),
            "reset",
            "--force",
            "--config",
            cp.dir().resolve("kubeadm.yaml").toString(),
            "--kubernetes-dir",
            cp.kubernetesDir().toString());
    assertThat(reset.code()).as(reset.out()).isZero();
    assertThat(cp.kubernetesDir().resolve("manifests/kube-apiserver.yaml")).doesNotExist();
    assertThat(pki.resolve("client.key")).exists();
    assertThat(pki.resolve("ca.crt")).exists();
    Result keys = etcdctl("get", "/registry/", "--prefix", "--keys-only");
    assertThat(keys.out()).contains("kubeadm-config").contains("landed-externally");
  }

  private Result status() throws Exception {
    return cp.kubeboot(
        Duration.ofMinutes(1), "status", "--kubernetes-dir", cp.kubernetesDir().toString());
  }

  private Result kubectl(String... args) throws Exception {
    var command =
        new ArrayList<>(
            List.of(
                "/usr/bin/kubectl",
                "--kubeconfig",
                cp.adminConf().toString(),
                "--request-timeout",
                "10s"));
    command.addAll(List.of(args));
    return cp.exec(Duration.ofSeconds(30), command.toArray(String[]::new));
  }

  /** etcdctl against the three members, from the control-plane node's namespace. */
  private Result etcdctl(String... args) throws Exception {
    return etcdctlAt(endpoints(), args);
  }

  private Result etcdctlAt(String endpoints, String... args) throws Exception {
    var command =
        new ArrayList<>(
            List.of(
                "ip",
                "netns",
                "exec",
                cp.namespace(),
                "/usr/bin/etcdctl",
                "--endpoints",
                endpoints,
                "--cacert",
                pki.resolve("ca.crt").toString(),
                "--cert",
                pki.resolve("client.crt").toString(),
                "--key",
                pki.resolve("client.key").toString(),
                "--dial-timeout",
                "3s"));
    command.addAll(List.of(args));
    return E2eSupport.run(
        Duration.ofSeconds(30), Map.of("ETCDCTL_API", "3"), command.toArray(String[]::new));
  }

  private Process startMember(NetnsNode n, String initialCluster) throws Exception {
    String a = n.address();
    String name = "m" + n.index();
    Path log = n.dir().resolve("etcd.log");
    Files.createDirectories(n.dir());
    var builder =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                n.namespace(),
                "/usr/bin/etcd",
                "--name=" + name,
                "--data-dir=" + n.dir().resolve("etcd-data"),
                "--listen-client-urls=https://" + a + ":2379,https://127.0.0.1:2379",
                "--advertise-client-urls=https://" + a + ":2379",
                "--listen-peer-urls=https://" + a + ":2380",
                "--initial-advertise-peer-urls=https://" + a + ":2380",
                "--initial-cluster=" + initialCluster,
                "--initial-cluster-state=new",
                "--initial-cluster-token=kubeboot-external-e2e",
                "--client-cert-auth",
                "--trusted-ca-file=" + pki.resolve("ca.crt"),
                "--cert-file=" + pki.resolve(name + ".crt"),
                "--key-file=" + pki.resolve(name + ".key"),
                "--peer-client-cert-auth",
                "--peer-trusted-ca-file=" + pki.resolve("ca.crt"),
                "--peer-cert-file=" + pki.resolve(name + ".crt"),
                "--peer-key-file=" + pki.resolve(name + ".key"))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    return builder.start();
  }

  /** A test CA, one server+peer certificate per member and the API server's client certificate. */
  private void makeCertificates() throws Exception {
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key");
    openssl(
        "req",
        "-x509",
        "-new",
        "-key",
        "ca.key",
        "-days",
        "2",
        "-subj",
        "/CN=external-etcd-ca",
        "-out",
        "ca.crt");
    for (NetnsNode n : etcdNodes()) {
      issue(
          "m" + n.index(),
          "/CN=m" + n.index(),
          "subjectAltName=IP:"
              + n.address()
              + ",IP:127.0.0.1\n"
              + "extendedKeyUsage=serverAuth,clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n");
    }
    issue(
        "client",
        "/O=system:masters/CN=kube-apiserver-etcd-client",
        "extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n");
  }

  private void issue(String name, String subject, String extensions) throws Exception {
    Files.writeString(pki.resolve(name + ".ext"), extensions);
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", name + ".ec");
    // PKCS#8, as etcd and the JDK both read it.
    openssl("pkcs8", "-topk8", "-nocrypt", "-in", name + ".ec", "-out", name + ".key");
    openssl("req", "-new", "-key", name + ".key", "-subj", subject, "-out", name + ".csr");
    openssl(
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        name + ".ext",
        "-out",
        name + ".crt");
  }

  private void openssl(String... args) throws Exception {
    var command =
        new ArrayList<>(List.of("sh", "-c", "cd \"$0\" && exec openssl \"$@\"", pki.toString()));
    command.addAll(List.of(args));
    Result result =
        E2eSupport.run(Duration.ofSeconds(30), Map.of(), command.toArray(String[]::new));
    assertThat(result.code())
        .as("openssl " + String.join(" ", args) + ": " + result.out())
        .isZero();
  }
}
