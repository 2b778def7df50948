package dev.kubeboot.testing.e2e;

import static dev.kubeboot.testing.e2e.E2eSupport.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kubeboot.testing.e2e.E2eSupport.Result;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * `kubeboot init` and a control-plane `kubeboot join` against an external etcd: a 3-member Debian
 * etcd cluster over mutual TLS (a test CA made with openssl) runs in namespaces n1-n3, the first
 * control plane in n4 (process runtime, the API stand-ins; `--upload-certs`, its own address as
 * controlPlaneEndpoint), bad configurations in n5, and n6 joins as a second control plane with the
 * command init printed. No etcd pod, no etcd certificates, the API server's flags name the external
 * cluster, its objects land in that etcd (read back with etcdctl); the joining node gets the etcd
 * client files from the kubeadm-certs Secret at the configured paths, adds no etcd member, and its
 * reset leaves the members alone; `status` checks each endpoint, and `reset` leaves etcd's data
 * alone.
 *
 * <p>The namespaces share one file system, so the configured client files (a copy of the test CA's
 * in {@code etcd-client}) are moved aside before the join: what the joining node finds there then
 * is only what it downloaded. The first node's API server read them at its start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExternalEtcdEndToEndIT {
  private static final List<String> CLIENT_FILES = List.of("ca.crt", "client.crt", "client.key");
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

  /** Where the ClusterConfiguration's etcd.external files are, on every node. */
  private Path client;

  private NetnsNode joining;
  private List<String> joinArgs;
  private List<String> membersBefore;
  private final List<Process> members = new ArrayList<>();

  @BeforeAll
  void setUp() throws Exception {
    E2eSupport.assumeEtcd();
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/etcdctl")), "etcdctl is not installed");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")), "kubectl is not installed");
    E2eSupport.assertJarsBuilt();
    cluster = NetnsCluster.create(Files.createTempDirectory("kubeboot-ext-etcd-e2e"), 6, 1);
    cp = cluster.node(4);
    joining = cluster.node(6);
    pki = cp.dir().resolveSibling("etcd-pki");
    Files.createDirectories(pki);
    makeCertificates();
    client = Files.createDirectories(cp.dir().resolveSibling("etcd-client"));
    for (String file : CLIENT_FILES) {
      Files.copy(pki.resolve(file), client.resolve(file));
    }
    for (NetnsNode node : List.of(cp, joining)) {
      // A default route, so that reset (which detects this node's address) finds one.
      node.addDefaultRoute(cluster.lbAddress());
    }
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
            endpoints,
            client.resolve("ca.crt"),
            client.resolve("client.crt"),
            client.resolve("client.key"));
  }

  private Result init(NetnsNode node, Path config, String... extra) throws Exception {
    var args =
        new ArrayList<>(
            List.of(
                "init",
                "--config",
                config.toString(),
                "--kubernetes-dir",
                node.kubernetesDir().toString(),
                "--container-runtime",
                "process",
                "--timeout",
                "3m"));
    args.addAll(List.of(extra));
    return node.kubeboot(Duration.ofMinutes(5), args.toArray(String[]::new));
  }

  @Test
  @Order(1)
  void initRunsNoEtcdAndPointsTheApiServerAtTheExternalCluster() throws Exception {
    Path config =
        cp.write(
            "kubeadm.yaml",
            config(cp, externalFiles(endpoints()))
                + "controlPlaneEndpoint: "
                + cp.address()
                + ":6443\n");
    Result init = init(cp, config, "--upload-certs");
    assertThat(init.code()).as(init.out()).isZero();
    joinArgs = ControlPlaneJoin.in(init.out()).args();
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
        .contains("- --etcd-cafile=" + client.resolve("ca.crt") + "\n")
        .contains("- --etcd-certfile=" + client.resolve("client.crt") + "\n")
        .contains("- --etcd-keyfile=" + client.resolve("client.key") + "\n");

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
  @Order(7)
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
    // Two of three still make a quorum: once they have elected a leader among them, writes commit.
    String survivors =
        etcdNodes().subList(0, 2).stream()
            .map(n -> "https://" + n.address() + ":2379")
            .collect(Collectors.joining(","));
    waitFor(
        "the two remaining members to agree on a leader",
        Duration.ofSeconds(30),
        () -> {
          String out = etcdctlAt(survivors, "endpoint", "status", "-w", "json").out();
          List<String> leaders =
              Pattern.compile("\"leader\":(\\d+)")
                  .matcher(out)
                  .results()
                  .map(m -> m.group(1))
                  .toList();
          return leaders.size() == 2
              && !leaders.getFirst().equals("0")
              && leaders.stream().distinct().count() == 1;
        });
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
  @Order(8)
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
                + client.resolve("absent.key")
                + " does not exist");
  }

  @Test
  @Order(9)
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
    assertThat(client.resolve("client.key")).exists();
    assertThat(client.resolve("ca.crt")).exists();
    Result keys = etcdctl("get", "/registry/", "--prefix", "--keys-only");
    assertThat(keys.out()).contains("kubeadm-config").contains("landed-externally");
  }

  @Test
  @Order(3)
  void aSecondControlPlaneJoinsWithThePrintedCommandAndGetsTheClientFilesFromTheCluster()
      throws Exception {
    assertThat(joinArgs).as("init printed the join command").isNotNull();
    membersBefore = memberList();
    assertThat(membersBefore).hasSize(3);
    // Off this "machine": the joining node must bring the client files itself.
    Path firstNodesCopy = client.resolveSibling("etcd-client.node4");
    Files.move(client, firstNodesCopy);
    var args = new ArrayList<>(joinArgs);
    args.addAll(
        List.of(
            "--node-name",
            joining.name(),
            "--apiserver-advertise-address",
            joining.address(),
            "--kubernetes-dir",
            joining.kubernetesDir().toString(),
            "--container-runtime",
            "process",
            "--timeout",
            "4m"));
    Result join = joining.kubeboot(Duration.ofMinutes(8), args.toArray(String[]::new));
    System.out.println("$ kubeboot join ...   # " + joining + "\n" + join.out());
    assertThat(join.code()).as(join.out()).isZero();
    assertThat(join.out())
        .contains("[download-certs] Saving the external etcd client files to the paths of")
        .contains("[etcd] External etcd mode: Skipping the etcd member join")
        .contains("This node has joined the cluster")
        .doesNotContain("Announced new etcd member")
        .doesNotContain("A new etcd member was added");
    for (String file : CLIENT_FILES) {
      assertThat(client.resolve(file)).hasSameBinaryContentAs(firstNodesCopy.resolve(file));
    }
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(client.resolve("client.key"))))
        .isEqualTo("rw-------");
  }

  @Test
  @Order(4)
  void theJoinedNodeRunsNoEtcdAndItsApiServerUsesTheExternalCluster() throws Exception {
    Path kube = joining.kubernetesDir();
    assertThat(kube.resolve("manifests/etcd.yaml")).doesNotExist();
    assertThat(kube.resolve("pki/etcd")).doesNotExist();
    assertThat(Files.readString(kube.resolve("manifests/kube-apiserver.yaml")))
        .contains("- --etcd-servers=" + endpoints() + "\n")
        .contains("- --advertise-address=" + joining.address() + "\n")
        .contains("- --etcd-cafile=" + client.resolve("ca.crt") + "\n")
        .contains("- --etcd-certfile=" + client.resolve("client.crt") + "\n")
        .contains("- --etcd-keyfile=" + client.resolve("client.key") + "\n");
    List<String> members = memberList();
    System.out.println("$ etcdctl member list   # after the join\n" + String.join("\n", members));
    assertThat(members).containsExactlyInAnyOrderElementsOf(membersBefore);
    assertThat(members).noneMatch(l -> l.contains(joining.name()) || l.contains(joining.address()));
  }

  @Test
  @Order(5)
  void kubectlSeesBothControlPlaneNodesReady() throws Exception {
    waitFor(
        "node4 and node6 Ready as control-plane nodes",
        Duration.ofSeconds(120),
        () -> {
          List<String> ready =
              kubectl("get", "nodes")
                  .out()
                  .lines()
                  .filter(l -> l.matches("node\\d\\s+Ready\\s+control-plane.*"))
                  .map(l -> l.split("\\s+")[0])
                  .toList();
          return ready.contains(cp.name()) && ready.contains(joining.name());
        });
    waitFor(
        "node6's mirror Pods, and no etcd Pod",
        Duration.ofSeconds(90),
        () -> {
          String pods = kubectl("get", "pods", "-n", "kube-system", "-o", "name").out();
          return pods.contains("pod/kube-apiserver-" + joining.name())
              && pods.contains("pod/kube-scheduler-" + joining.name())
              && pods.contains("pod/kube-controller-manager-" + joining.name());
        });
    System.out.println("$ kubectl get nodes\n" + kubectl("get", "nodes").out());
    assertThat(kubectl("get", "pods", "-n", "kube-system", "-o", "name").out())
        .doesNotContain("etcd");
    // The joined API server serves the cluster's objects from the external etcd.
    Result direct =
        joining.exec(
            Duration.ofSeconds(30),
            "/usr/bin/kubectl",
            "--kubeconfig",
            joining.adminConf().toString(),
            "--server",
            "https://" + joining.address() + ":6443",
            "--request-timeout",
            "10s",
            "get",
            "configmap",
            "landed-externally",
            "-n",
            "default",
            "-o",
            "name");
    assertThat(direct.code()).as(direct.out()).isZero();
    assertThat(direct.out()).contains("configmap/landed-externally");
  }

  @Test
  @Order(6)
  void resetOnTheJoinedNodeLeavesTheEtcdMembersAndDataAlone() throws Exception {
    Result reset =
        joining.kubeboot(
            Duration.ofMinutes(3),
            "reset",
            "-f",
            "--kubernetes-dir",
            joining.kubernetesDir().toString());
    System.out.println("$ kubeboot reset -f   # " + joining + "\n" + reset.out());
    assertThat(reset.code()).as(reset.out()).isZero();
    assertThat(reset.out()).contains("assuming external etcd");
    assertThat(joining.kubernetesDir().resolve("manifests/kube-apiserver.yaml")).doesNotExist();
    assertThat(memberList()).containsExactlyInAnyOrderElementsOf(membersBefore);
    Result keys = etcdctl("get", "/registry/", "--prefix", "--keys-only");
    assertThat(keys.out()).contains("kubeadm-config").contains("landed-externally");
    for (String file : CLIENT_FILES) {
      assertThat(client.resolve(file)).exists();
    }
    // The first control plane still serves.
    Result created = kubectl("create", "configmap", "after-the-reset", "-n", "default");
    assertThat(created.code()).as(created.out()).isZero();
  }

  private List<String> memberList() throws Exception {
    Result list = etcdctl("member", "list");
    assertThat(list.code()).as(list.out()).isZero();
    return list.out().lines().filter(l -> !l.isBlank()).toList();
  }

  private Result status() throws Exception {
    return cp.kubeboot(
        Duration.ofMinutes(1), "status", "--kubernetes-dir", cp.kubernetesDir().toString());
  }

  private Result kubectl(String... args) throws Exception {
    return cp.exec(Duration.ofSeconds(30), cp.kubectl(args));
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
