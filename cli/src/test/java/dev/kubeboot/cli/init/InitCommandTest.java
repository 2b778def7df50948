package dev.kubeboot.cli.init;

import static dev.kubeboot.cli.CliRun.kubeboot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.cli.CliRun;
import dev.kubeboot.pki.CertificateChecks;
import dev.kubeboot.pki.Pem;
import dev.kubeboot.runner.manifest.ManifestDecoder;
import dev.kubeboot.runner.pod.StaticPod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `kubeboot init` through the same entry point as the process, rendering into a temp directory. */
class InitCommandTest {
  @TempDir Path dir;

  private String[] init(String... extra) {
    return initVersion("v1.33.4", extra);
  }

  private String[] initVersion(String version, String... extra) {
    return initArgs(dir, version, "master-1", extra);
  }

  private static String[] initArgs(
      Path kubernetesDir, String version, String nodeName, String... extra) {
    var args =
        new java.util.ArrayList<>(
            List.of(
                "init",
                "--kubernetes-dir",
                kubernetesDir.toString(),
                "--skip-phases",
                "preflight,runner-start,wait-control-plane",
                "--apiserver-advertise-address",
                "192.168.0.10",
                "--node-name",
                nodeName,
                "--kubernetes-version",
                version));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  @Test
  void writesEveryFileKubeadmWritesWithItsModes() throws Exception {
    CliRun run = kubeboot(init());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("[certs] Generating \"ca\" certificate and key")
        .contains(
            "[certs] etcd/server serving cert is signed for DNS names [localhost master-1] and IPs [192.168.0.10 127.0.0.1 ::1]")
        .contains("[kubeconfig] Writing \"admin.conf\" kubeconfig file")
        .contains("[control-plane] Creating static Pod manifest for \"kube-apiserver\"");
    for (String key :
        List.of(
            "ca.key",
            "apiserver.key",
            "apiserver-kubelet-client.key",
            "front-proxy-ca.key",
            "front-proxy-client.key",
            "etcd/ca.key",
            "etcd/server.key",
            "etcd/peer.key",
            "etcd/healthcheck-client.key",
            "apiserver-etcd-client.key",
            "sa.key",
            "sa.pub")) {
      assertThat(mode(dir.resolve("pki").resolve(key))).as(key).isEqualTo("rw-------");
    }
    assertThat(mode(dir.resolve("pki/ca.crt"))).isEqualTo("rw-r--r--");
    for (String conf :
        List.of(
            "admin.conf",
            "super-admin.conf",
            "kubelet.conf",
            "controller-manager.conf",
            "scheduler.conf")) {
      assertThat(mode(dir.resolve(conf))).as(conf).isEqualTo("rw-------");
    }
    for (String manifest :
        List.of(
            "etcd.yaml",
            "kube-apiserver.yaml",
            "kube-controller-manager.yaml",
            "kube-scheduler.yaml")) {
      assertThat(mode(dir.resolve("manifests").resolve(manifest)))
          .as(manifest)
          .isEqualTo("rw-------");
    }
    assertThat(mode(dir.resolve("manifests"))).isEqualTo("rwx------");
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp")))
          .isEmpty();
    }
    var ca = Pem.decodeCertificate(Files.readString(dir.resolve("pki/ca.crt")));
    var apiserver = Pem.decodeCertificate(Files.readString(dir.resolve("pki/apiserver.crt")));
    CertificateChecks.verifySignedBy(apiserver, ca);
    assertThat(
            CertificateChecks.keyMatches(
                apiserver,
                Pem.decodePrivateKey(Files.readString(dir.resolve("pki/apiserver.key")))))
        .isTrue();
  }

  @Test
  void renderedManifestsAreWhatTheRunnerReads() throws Exception {
    assertThat(kubeboot(init()).code()).isZero();
    var decoder = new ManifestDecoder(Clock.systemUTC());
    for (String component :
        List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler")) {
      Path file = dir.resolve("manifests").resolve(component + ".yaml");
      StaticPod pod = decoder.decode(Files.readAllBytes(file), file, "master-1");
      assertThat(pod.key().namespace()).isEqualTo("kube-system");
      assertThat(pod.key().name()).isEqualTo(component + "-master-1");
      assertThat(pod.spec().hostNetwork()).isTrue();
      var container = pod.spec().containers().getFirst();
      assertThat(container.command().getFirst()).isEqualTo(component);
      assertThat(container.livenessProbe()).isPresent();
      assertThat(
              container.resolve(
                  ((dev.kubeboot.runner.pod.ProbeAction.HttpGet)
                          container.livenessProbe().get().action())
                      .port()))
          .isPresent();
    }
  }

  @Test
  void aSecondRunReusesTheCaAndKeysAndChangesNothing() throws Exception {
    assertThat(kubeboot(init()).code()).isZero();
    byte[] ca = Files.readAllBytes(dir.resolve("pki/ca.crt"));
    byte[] key = Files.readAllBytes(dir.resolve("pki/apiserver.key"));
    byte[] admin = Files.readAllBytes(dir.resolve("admin.conf"));
    var manifestTime = Files.getLastModifiedTime(dir.resolve("manifests/kube-apiserver.yaml"));
    CliRun again = kubeboot(init());
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out())
        .contains("[certs] Using existing ca certificate authority")
        .contains("[certs] Using existing apiserver certificate and key on disk")
        .contains("[certs] Using the existing \"sa\" key")
        .contains("[kubeconfig] Using existing kubeconfig file")
        .contains("is up to date")
        .doesNotContain("Generating");
    assertThat(Files.readAllBytes(dir.resolve("pki/ca.crt"))).isEqualTo(ca);
    assertThat(Files.readAllBytes(dir.resolve("pki/apiserver.key"))).isEqualTo(key);
    assertThat(Files.readAllBytes(dir.resolve("admin.conf"))).isEqualTo(admin);
    assertThat(Files.getLastModifiedTime(dir.resolve("manifests/kube-apiserver.yaml")))
        .isEqualTo(manifestTime);
  }

  @Test
  void aLeafWhoseSansNoLongerMatchIsAnErrorNamingTheFileToRemove() throws Exception {
    assertThat(kubeboot(init()).code()).isZero();
    CliRun run = kubeboot(init("--apiserver-cert-extra-sans", "api.example.com"));
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("phase certs/apiserver")
        .contains("api.example.com")
        .contains("remove");
    Files.delete(dir.resolve("pki/apiserver.crt"));
    Files.delete(dir.resolve("pki/apiserver.key"));
    CliRun fixed = kubeboot(init("--apiserver-cert-extra-sans", "api.example.com"));
    assertThat(fixed.code()).as(fixed.err()).isZero();
    assertThat(fixed.out())
        .contains("Using existing ca certificate authority")
        .contains(
            "DNS names [api.example.com kubernetes kubernetes.default kubernetes.default.svc kubernetes.default.svc.cluster.local master-1]");
  }

  @Test
  void dryRunWritesNothingAndPrintsThePlannedFilesWithoutKeys() {
    CliRun run = kubeboot(init("--dry-run"));
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(dir).isEmptyDirectory();
    assertThat(run.out())
        .contains("[dryrun] Would write file " + dir.resolve("pki/ca.key") + " (rw-------")
        .contains("content hidden")
        .contains("kind: Pod")
        .doesNotContain("PRIVATE KEY");
  }

  @Test
  void onePhaseRunsAloneAndMissingPrerequisitesAreReportedBeforeAnything() throws Exception {
    CliRun missing =
        kubeboot(
            "init",
            "phase",
            "certs",
            "apiserver",
            "--kubernetes-dir",
            dir.toString(),
            "--apiserver-advertise-address",
            "192.168.0.10",
            "--node-name",
            "n1");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err())
        .contains(
            "phase certs/apiserver needs the ca certificate authority: run phase certs/ca first");
    assertThat(dir).isEmptyDirectory();
    CliRun ca =
        kubeboot(
            "init",
            "phase",
            "certs",
            "ca",
            "--kubernetes-dir",
            dir.toString(),
            "--apiserver-advertise-address",
            "192.168.0.10",
            "--node-name",
            "n1");
    assertThat(ca.code()).as(ca.err()).isZero();
    assertThat(ca.out())
        .contains("[certs] Generating \"ca\" certificate and key")
        .doesNotContain("apiserver");
    CliRun all =
        kubeboot(
            "init",
            "phase",
            "kubeconfig",
            "all",
            "--kubernetes-dir",
            dir.toString(),
            "--apiserver-advertise-address",
            "192.168.0.10",
            "--node-name",
            "n1");
    assertThat(all.code()).as(all.err()).isZero();
    assertThat(dir.resolve("scheduler.conf")).exists();
    assertThat(dir.resolve("manifests")).doesNotExist();
  }

  @Test
  void usageErrorsExitTwo() throws Exception {
    assertThat(
            kubeboot("init", "--skip-phases", "bogus", "--kubernetes-dir", dir.toString()).code())
        .isEqualTo(2);
    assertThat(kubeboot("init", "--no-such-flag").code()).isEqualTo(2);
    Path config = dir.resolve("kubeadm.yaml");
    Files.writeString(
        config,
        "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n  podSubnett: 10.244.0.0/16\n");
    CliRun bad = kubeboot(init("--config", config.toString()));
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains(config.toString()).contains(":4").contains("podSubnett");
    CliRun badVersion =
        kubeboot(
            "init",
            "--kubernetes-dir",
            dir.toString(),
            "--kubernetes-version",
            "v1.29.0",
            "--apiserver-advertise-address",
            "10.0.0.1");
    assertThat(badVersion.code()).isEqualTo(2);
    assertThat(badVersion.err()).contains("--kubernetes-version").contains("v1.31");
  }

  @Test
  void aKubeadmConfigFileDrivesTheRender() throws Exception {
    Path config = dir.resolve("kubeadm.yaml");
    Files.writeString(
        config,
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: InitConfiguration
        localAPIEndpoint:
          advertiseAddress: 10.1.2.3
          bindPort: 7443
        nodeRegistration:
          name: cp-0
        ---
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        kubernetesVersion: v1.32.3
        encryptionAlgorithm: ECDSA-P256
        networking:
          podSubnet: 10.244.0.0/16
        apiServer:
          extraArgs:
          - name: audit-log-maxage
            value: "30"
        """);
    CliRun run =
        kubeboot(
            "init",
            "--config",
            config.toString(),
            "--kubernetes-dir",
            dir.resolve("k").toString(),
            "--skip-phases",
            "preflight,runner-start,wait-control-plane");
    assertThat(run.code()).as(run.err()).isZero();
    String apiserver = Files.readString(dir.resolve("k/manifests/kube-apiserver.yaml"));
    assertThat(apiserver)
        .contains("- --audit-log-maxage=\"30\"".replace("\"", ""))
        .contains("--secure-port=7443")
        .contains("kube-apiserver:v1.32.3");
    assertThat(Files.readString(dir.resolve("k/manifests/kube-controller-manager.yaml")))
        .contains("--cluster-cidr=10.244.0.0/16");
    assertThat(Files.readString(dir.resolve("k/pki/ca.key"))).contains("EC PRIVATE KEY");
  }

  @Test
  void certificatesAreLoggedByKubeadmsBaseNames() {
    CliRun run = kubeboot(init());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("[certs] Generating \"etcd/ca\" certificate and key")
        .contains("[certs] Generating \"etcd/server\" certificate and key")
        .contains("[certs] Generating \"etcd/healthcheck-client\" certificate and key")
        .contains("[certs] Generating \"apiserver-etcd-client\" certificate and key")
        .doesNotContain("\"etcd-ca\"");
    CliRun again = kubeboot(init());
    assertThat(again.out())
        .contains("[certs] Using existing etcd/ca certificate authority")
        .contains("[certs] Using existing etcd/peer certificate and key on disk");
  }

  @Test
  void externalEtcdSkipsTheEtcdCertificatesByBaseName() throws Exception {
    Path config = dir.resolve("external.yaml");
    Files.writeString(
        config,
        "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"
            + "etcd:\n  external:\n    endpoints: [https://10.0.0.5:2379]\n"
            + "    caFile: /etc/etcd/ca.crt\n"
            + "    certFile: /etc/etcd/client.crt\n"
            + "    keyFile: /etc/etcd/client.key\n");
    CliRun run = kubeboot(init("--config", config.toString()));
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("[certs] External etcd mode: Skipping etcd/ca certificate generation")
        .contains(
            "[certs] External etcd mode: Skipping apiserver-etcd-client certificate generation");
  }

  @Test
  void aKubernetesDirKeepsEtcdDataBesideItAndSaysWhere() throws Exception {
    CliRun run = kubeboot(init());
    assertThat(run.code()).as(run.err()).isZero();
    Path data = dir.toAbsolutePath().resolve("etcd-data");
    assertThat(run.out()).contains("[etcd] Using etcd data directory \"" + data + "\"");
    assertThat(Files.readString(dir.resolve("manifests/etcd.yaml")))
        .contains("--data-dir=" + data)
        .contains("path: " + data)
        .doesNotContain("/var/lib/etcd");
  }

  @Test
  void mixedCaseCertSansEndUpLowerCasedInTheServingCertificate() throws Exception {
    CliRun run = kubeboot(init("--apiserver-cert-extra-sans", "LB-Upper.Example.COM"));
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.err()).doesNotContain("LB-Upper");
    var cert = Pem.decodeCertificate(Files.readString(dir.resolve("pki/apiserver.crt")));
    assertThat(cert.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))))
        .contains("lb-upper.example.com");
  }

  @Test
  void kubeletConfPointsAtTheLocalApiServerFromKubeadm133() throws Exception {
    CliRun run = kubeboot(init("--control-plane-endpoint", "lb.example.com"));
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(server("kubelet.conf")).isEqualTo("https://192.168.0.10:6443");
    assertThat(server("admin.conf")).isEqualTo("https://lb.example.com:6443");
    assertThat(server("super-admin.conf")).isEqualTo("https://lb.example.com:6443");
    assertThat(server("scheduler.conf")).isEqualTo("https://192.168.0.10:6443");
  }

  @Test
  void kubeletConfPointsAtTheEndpointBefore133UnlessTheGateIsOn() throws Exception {
    CliRun run = kubeboot(initVersion("v1.32.9", "--control-plane-endpoint", "lb.example.com:443"));
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(server("kubelet.conf")).isEqualTo("https://lb.example.com:443");

    Path gate = dir.resolve("gate.yaml");
    Files.writeString(
        gate,
        "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"
            + "featureGates:\n  ControlPlaneKubeletLocalMode: true\n");
    Path other = dir.resolve("other");
    CliRun gated =
        kubeboot(
            initArgs(
                other,
                "v1.32.9",
                "master-1",
                "--config",
                gate.toString(),
                "--control-plane-endpoint",
                "lb.example.com:443"));
    assertThat(gated.code()).as(gated.err()).isZero();
    assertThat(server(other.resolve("kubelet.conf"))).isEqualTo("https://192.168.0.10:6443");
  }

  @Test
  void aGateTurnedOffKeepsKubeletConfOnTheEndpointIn134() throws Exception {
    Path gate = dir.resolve("gate.yaml");
    Files.writeString(
        gate,
        "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"
            + "featureGates:\n  ControlPlaneKubeletLocalMode: false\n");
    CliRun run =
        kubeboot(
            initVersion(
                "v1.34.2",
                "--config",
                gate.toString(),
                "--control-plane-endpoint",
                "lb.example.com"));
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(server("kubelet.conf")).isEqualTo("https://lb.example.com:6443");
  }

  @Test
  void anUpperCaseNodeNameIsLowerCasedWithAWarning() throws Exception {
    CliRun run = kubeboot(initArgs(dir, "v1.33.4", "Master-1"));
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.err()).contains("W the node name \"Master-1\" is lower-cased to \"master-1\"");
    assertThat(Files.readString(dir.resolve("manifests/etcd.yaml"))).contains("--name=master-1");
  }

  @Test
  void aMissingConfigFileNamesTheReason() {
    CliRun run = kubeboot(init("--config", dir.resolve("absent.yaml").toString()));
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "cannot read the config file "
                + dir.resolve("absent.yaml")
                + ": no such file or directory; check --config");
  }

  private String server(String kubeconfig) throws Exception {
    return server(dir.resolve(kubeconfig));
  }

  private static String server(Path kubeconfig) throws Exception {
    return Files.readAllLines(kubeconfig).stream()
        .map(String::strip)
        .filter(l -> l.startsWith("server: "))
        .map(l -> l.substring("server: ".length()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void versionIsFastPathAndSubcommand() {
    assertThat(kubeboot("--version").out()).startsWith("kubeboot version v");
    assertThat(kubeboot("version").out()).startsWith("kubeboot version v");
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
