package dev.kubeboot.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ControlPlaneManifestsTest {

  private final ControlPlaneManifests manifests = new ControlPlaneManifests();

  @Test
  void buildsTheFourComponentsInKubeadmOrder() {
    assertThat(manifests.build(Fixtures.defaults().build()).keySet())
        .containsExactly(
            ControlPlaneComponent.ETCD,
            ControlPlaneComponent.KUBE_APISERVER,
            ControlPlaneComponent.KUBE_CONTROLLER_MANAGER,
            ControlPlaneComponent.KUBE_SCHEDULER);
    assertThat(ControlPlaneComponent.ORDERED.stream().map(ControlPlaneComponent::manifestFileName))
        .containsExactly(
            "etcd.yaml",
            "kube-apiserver.yaml",
            "kube-controller-manager.yaml",
            "kube-scheduler.yaml");
  }

  @Test
  void externalEtcdHasNoEtcdPod() {
    ControlPlaneInputs in = Fixtures.customWithExternalEtcd();
    assertThat(manifests.build(in)).doesNotContainKey(ControlPlaneComponent.ETCD);
    assertThatThrownBy(() -> manifests.etcd(in)).isInstanceOf(InvalidInputException.class);
  }

  @ParameterizedTest(
      name = "external etcd with ca \"{0}\", cert \"{1}\", key \"{2}\" gives flags {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/e/ca.crt | /e/c.crt | /e/c.key | --etcd-cafile=/e/ca.crt --etcd-certfile=/e/c.crt"
            + " --etcd-keyfile=/e/c.key",
        "/e/ca.crt | '' | '' | --etcd-cafile=/e/ca.crt",
        "'' | /e/c.crt | '' | ''",
        "'' | '' | '' | ''",
      })
  void externalEtcdClientFilesAsKubeadmPassesThem(
      String ca, String cert, String key, String flags) {
    ControlPlaneInputs in =
        Fixtures.defaults()
            .etcd(new ExternalEtcd(List.of("https://e:2379"), ca, cert, key))
            .build();
    List<String> command = manifests.apiServer(in).command();
    assertThat(
            command.stream()
                .filter(f -> f.startsWith("--etcd-") && !f.startsWith("--etcd-servers")))
        .containsExactlyElementsOf(flags.isEmpty() ? List.of() : List.of(flags.split(" ")));
    assertThat(command).contains("--etcd-servers=https://e:2379");
  }

  @Test
  void externalEtcdCertificateDirectoriesAreMountedOnceUnlessAlreadyMounted() {
    ControlPlaneInputs in =
        Fixtures.defaults()
            .etcd(
                new ExternalEtcd(
                    List.of("https://e:2379"),
                    "/etc/etcd/ca.crt",
                    "/etc/etcd/sub/c.crt",
                    "/etc/kubernetes/pki/c.key"))
            .build();
    assertThat(manifests.apiServer(in).volumes())
        .filteredOn(v -> v.name().startsWith("etcd-certs"))
        .containsExactly(new HostPathVolume("etcd-certs-0", "/etc/etcd", "DirectoryOrCreate"));
  }

  @Test
  void authorizationConfigDropsAuthorizationMode() {
    ControlPlaneInputs in =
        Fixtures.defaults()
            .apiServer(
                new ComponentConfig(
                    List.of(Arg.of("authorization-config", "/a.yaml")), List.of(), List.of()))
            .build();
    assertThat(manifests.apiServer(in).command())
        .contains("--authorization-config=/a.yaml")
        .noneMatch(f -> f.startsWith("--authorization-mode"));
  }

  @Test
  void authorizationModeFromExtraArgsReplacesTheDefault() {
    ControlPlaneInputs in =
        Fixtures.defaults()
            .apiServer(
                new ComponentConfig(
                    List.of(Arg.of("authorization-mode", "Node,RBAC,Webhook")),
                    List.of(),
                    List.of()))
            .build();
    assertThat(manifests.apiServer(in).command())
        .filteredOn(f -> f.startsWith("--authorization-mode"))
        .containsExactly("--authorization-mode=Node,RBAC,Webhook");
  }

  @Test
  void localEtcdAdvertiseClientUrlsBecomeTheApiServersEtcdServers() {
    ControlPlaneInputs in =
        Fixtures.defaults()
            .etcd(
                new LocalEtcd(
                    null,
                    null,
                    "/var/lib/etcd",
                    List.of(Arg.of("advertise-client-urls", "https://10.0.0.1:2379")),
                    List.of(),
                    List.of(),
                    List.of()))
            .build();
    assertThat(manifests.apiServer(in).command()).contains("--etcd-servers=https://10.0.0.1:2379");
  }

  @Test
  void externalCaEmptiesTheClusterSigningFlags() {
    ControlPlaneInputs in = Fixtures.defaults().externalCa(true).build();
    assertThat(manifests.controllerManager(in).command())
        .contains("--cluster-signing-cert-file=", "--cluster-signing-key-file=");
  }

  @Test
  void podSubnetAddsNodeCidrAllocation() {
    List<String> without = manifests.controllerManager(Fixtures.defaults().build()).command();
    assertThat(without)
        .noneMatch(
            f ->
                f.startsWith("--allocate-node-cidrs")
                    || f.startsWith("--cluster-cidr")
                    || f.startsWith("--service-cluster-ip-range"));
    List<String> with =
        manifests
            .controllerManager(Fixtures.defaults().podSubnet("10.244.0.0/16").build())
            .command();
    assertThat(with)
        .contains(
            "--allocate-node-cidrs=true",
            "--cluster-cidr=10.244.0.0/16",
            "--service-cluster-ip-range=10.96.0.0/12");
  }

  @Test
  void loopbackAdvertiseAddressIsListedOnceInEtcdListenUrls() {
    StaticPod etcd =
        manifests.etcd(Fixtures.defaults().advertiseAddress(Fixtures.ip("127.0.0.1")).build());
    assertThat(etcd.command()).contains("--listen-client-urls=https://127.0.0.1:2379");
    StaticPod etcd6 =
        manifests.etcd(Fixtures.defaults().advertiseAddress(Fixtures.ip("::1")).build());
    assertThat(etcd6.command())
        .contains(
            "--listen-client-urls=https://[::1]:2379", "--listen-metrics-urls=http://[::1]:2381");
  }

  @Test
  void aJoiningEtcdStartsInTheExistingClusterWithEveryMember() {
    String members = "master-0=https://192.168.0.9:2380,master-1=https://192.168.0.10:2380";
    StaticPod etcd = manifests.joiningEtcd(Fixtures.defaults().build(), members);
    assertThat(etcd.command())
        .contains(
            "--initial-cluster=" + members,
            "--initial-cluster-state=existing",
            "--name=master-1",
            "--initial-advertise-peer-urls=https://192.168.0.10:2380");
    // The first member starts a cluster of its own: only itself, no state flag.
    assertThat(manifests.etcd(Fixtures.defaults().build()).command())
        .contains("--initial-cluster=master-1=https://192.168.0.10:2380")
        .noneMatch(arg -> arg.startsWith("--initial-cluster-state"));
    assertThatThrownBy(() -> manifests.joiningEtcd(Fixtures.customWithExternalEtcd(), members))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void etcdMountsItsDataThenItsCertificatesAsKubeadmWritesThem() {
    StaticPod etcd = manifests.etcd(Fixtures.defaults().build());
    assertThat(etcd.volumeMounts())
        .extracting(VolumeMount::name)
        .containsExactly("etcd-data", "etcd-certs");
    assertThat(etcd.volumes())
        .extracting(HostPathVolume::name)
        .containsExactly("etcd-certs", "etcd-data");
  }

  @Test
  void anExtraVolumeWithoutPathTypeHasAnEmptyTypeAsInKubeadm() {
    ControlPlaneInputs in =
        Fixtures.defaults()
            .scheduler(
                new ComponentConfig(
                    List.of(),
                    List.of(new HostPathMount("logs", "/var/log/x", "/var/log/x", false, null)),
                    List.of()))
            .build();
    StaticPod scheduler = manifests.scheduler(in);
    assertThat(scheduler.volumes())
        .filteredOn(v -> v.name().equals("logs"))
        .singleElement()
        .satisfies(v -> assertThat(v.type()).isEmpty());
    assertThat(new ManifestRenderer(manifests).render(scheduler))
        .contains("  - hostPath:\n      path: /var/log/x\n      type: \"\"\n    name: logs\n");
  }

  @Test
  void manifestsCarryCreationTimestampNullOnlyBefore133() {
    for (String version : List.of("v1.31.13", "v1.32.9")) {
      ControlPlaneInputs in = Fixtures.defaults().version(KubernetesVersion.parse(version)).build();
      assertThat(new ManifestRenderer(manifests).renderAll(in).values())
          .as(version)
          .allSatisfy(m -> assertThat(m).contains("\n  creationTimestamp: null\n"));
    }
    for (String version : List.of("v1.33.0", "v1.34.2")) {
      ControlPlaneInputs in = Fixtures.defaults().version(KubernetesVersion.parse(version)).build();
      assertThat(new ManifestRenderer(manifests).renderAll(in).values())
          .as(version)
          .allSatisfy(m -> assertThat(m).doesNotContain("creationTimestamp"));
    }
  }

  @Test
  void theEtcdImageFollowsTheKubeadmReleaseTableUnlessTheConfigNamesATag() {
    assertThat(manifests.etcd(Fixtures.defaults().build()).image())
        .isEqualTo("registry.k8s.io/etcd:3.6.5-0");
    assertThat(
            manifests
                .etcd(Fixtures.defaults().version(KubernetesVersion.parse("v1.34.1")).build())
                .image())
        .isEqualTo("registry.k8s.io/etcd:3.6.4-0");
    assertThat(
            manifests
                .etcd(Fixtures.defaults().version(KubernetesVersion.parse("v1.33.6")).build())
                .image())
        .isEqualTo("registry.k8s.io/etcd:3.5.24-0");
  }

  @Test
  void caDirectoriesAreMountedOnlyWhenPresentOnTheHost() {
    List<Path> asked = new ArrayList<>();
    ControlPlaneInputs in =
        Fixtures.defaults()
            .hostDirExists(
                p -> {
                  asked.add(p);
                  return p.equals(Path.of("/etc/pki/ca-trust"));
                })
            .build();
    assertThat(manifests.apiServer(in).volumes().stream().map(HostPathVolume::name))
        .containsExactly("ca-certs", "etc-pki-ca-trust", "k8s-certs");
    assertThat(manifests.controllerManager(in).volumes().stream().map(HostPathVolume::name))
        .containsExactly(
            "ca-certs", "etc-pki-ca-trust", "flexvolume-dir", "k8s-certs", "kubeconfig");
    assertThat(asked)
        .contains(Path.of("/etc/ca-certificates"), Path.of("/usr/local/share/ca-certificates"));
  }

  @Test
  void extraVolumeWithADefaultNameReplacesIt() {
    ControlPlaneInputs in =
        Fixtures.defaults()
            .scheduler(
                new ComponentConfig(
                    List.of(),
                    List.of(
                        new HostPathMount(
                            "kubeconfig",
                            "/other.conf",
                            "/etc/kubernetes/scheduler.conf",
                            true,
                            "File")),
                    List.of()))
            .build();
    assertThat(manifests.scheduler(in).volumes())
        .containsExactly(new HostPathVolume("kubeconfig", "/other.conf", "File"));
  }

  @Test
  void proxyEnvironmentIsCopiedToKubernetesComponentsButNotEtcd() {
    ControlPlaneInputs in =
        Fixtures.defaults()
            .proxyEnv(
                Map.of(
                    "http_proxy", "http://p:1", "FTP_PROXY", "", "HOME", "/root", "NO_PROXY", "x"))
            .scheduler(
                new ComponentConfig(
                    List.of(), List.of(), List.of(EnvVar.of("http_proxy", "http://q:2"))))
            .build();
    assertThat(manifests.apiServer(in).env())
        .containsExactly(EnvVar.of("NO_PROXY", "x"), EnvVar.of("http_proxy", "http://p:1"));
    assertThat(manifests.scheduler(in).env())
        .containsExactly(EnvVar.of("NO_PROXY", "x"), EnvVar.of("http_proxy", "http://q:2"));
    assertThat(manifests.etcd(in).env()).isEmpty();
  }

  @ParameterizedTest(name = "Kubernetes {0}: scheduler liveness {1}, readiness {2}, named port {3}")
  @CsvSource({
    "v1.31.0, /healthz, -, false",
    "v1.32.0, /livez, /readyz, false",
    "v1.33.4, /livez, /readyz, false",
    "v1.34.0, /livez, /readyz, true",
  })
  void schedulerProbesPerVersion(String version, String liveness, String readiness, boolean named) {
    StaticPod pod =
        manifests.scheduler(Fixtures.defaults().version(KubernetesVersion.parse(version)).build());
    assertThat(pod.livenessProbe().path()).isEqualTo(liveness);
    assertThat(pod.startupProbe().path()).isEqualTo(liveness);
    if (readiness.equals("-")) {
      assertThat(pod.readinessProbe()).isNull();
    } else {
      assertThat(pod.readinessProbe().path()).isEqualTo(readiness);
    }
    assertThat(pod.livenessProbe().port().isNamed()).isEqualTo(named);
    assertThat(pod.ports()).hasSize(named ? 1 : 0);
  }

  @ParameterizedTest(
      name = "etcd tag {0}: liveness {1}, readiness {2}, startup {3}, graduated flags {4}")
  @CsvSource({
    "3.4.23-0, /health?exclude=NOSPACE&serializable=true, -, /health?serializable=false, false",
    "3.5.10-0, /health?exclude=NOSPACE&serializable=true, -, /health?serializable=false, false",
    "3.5.21-0, /livez, /readyz, /readyz, false",
    "3.6.0-0, /livez, /readyz, /readyz, true",
    "3.6.4-0, /livez, /readyz, /readyz, true",
  })
  void etcdProbesAndFlagsPerEtcdVersion(
      String tag, String liveness, String readiness, String startup, boolean graduated) {
    StaticPod pod =
        manifests.etcd(
            Fixtures.defaults()
                .etcd(
                    new LocalEtcd(
                        null, tag, "/var/lib/etcd", List.of(), List.of(), List.of(), List.of()))
                .build());
    assertThat(pod.image()).isEqualTo("registry.k8s.io/etcd:" + tag);
    assertThat(pod.livenessProbe().path()).isEqualTo(liveness);
    assertThat(pod.startupProbe().path()).isEqualTo(startup);
    if (readiness.equals("-")) {
      assertThat(pod.readinessProbe()).isNull();
    } else {
      assertThat(pod.readinessProbe().path()).isEqualTo(readiness);
    }
    if (graduated) {
      assertThat(pod.command())
          .contains(
              "--feature-gates=InitialCorruptCheck=true", "--watch-progress-notify-interval=5s")
          .noneMatch(f -> f.startsWith("--experimental"));
    } else {
      assertThat(pod.command())
          .contains(
              "--experimental-initial-corrupt-check=true",
              "--experimental-watch-progress-notify-interval=5s")
          .noneMatch(f -> f.startsWith("--feature-gates") || f.startsWith("--watch-progress"));
    }
  }

  @ParameterizedTest(name = "etcd listen-metrics-urls {0} is probed at {1} {2}:{3}")
  @CsvSource({
    "http://127.0.0.1:2381, HTTP, 127.0.0.1, 2381",
    "'https://10.0.0.5:9000,http://127.0.0.1:2381', HTTPS, 10.0.0.5, 9000",
    "http://[::1]:2390, HTTP, ::1, 2390",
    "http://:2399, HTTP, 127.0.0.1, 2399",
    "http://localhost, HTTP, localhost, 2381",
  })
  void etcdProbeFollowsListenMetricsUrls(String urls, String scheme, String host, int port) {
    StaticPod pod =
        manifests.etcd(
            Fixtures.defaults()
                .etcd(
                    new LocalEtcd(
                        null,
                        null,
                        "/var/lib/etcd",
                        List.of(Arg.of("listen-metrics-urls", urls)),
                        List.of(),
                        List.of(),
                        List.of()))
                .build());
    assertThat(pod.livenessProbe().scheme()).isEqualTo(scheme);
    assertThat(pod.livenessProbe().host()).isEqualTo(host);
    assertThat(pod.livenessProbe().port().number()).isEqualTo(port);
    assertThat(pod.ports()).containsExactly(new ContainerPort("probe-port", port, "TCP"));
  }

  @ParameterizedTest(
      name = "controller-manager bind-address {0} and secure-port {1} are probed at \"{2}\":{3}")
  @CsvSource({
    "-, -, 127.0.0.1, 10257",
    "0.0.0.0, -, '', 10257",
    ":: , 10300, '', 10300",
    "10.1.1.1, not-a-port, 10.1.1.1, 10257",
  })
  void controllerManagerProbeFollowsBindAddressAndSecurePort(
      String bind, String port, String host, int probePort) {
    List<Arg> args = new ArrayList<>();
    if (!bind.equals("-")) {
      args.add(Arg.of("bind-address", bind));
    }
    if (!port.equals("-")) {
      args.add(Arg.of("secure-port", port));
    }
    StaticPod pod =
        manifests.controllerManager(
            Fixtures.defaults()
                .controllerManager(new ComponentConfig(args, List.of(), List.of()))
                .build());
    assertThat(pod.livenessProbe().host()).isEqualTo(host);
    assertThat(pod.livenessProbe().port().number()).isEqualTo(probePort);
  }

  @ParameterizedTest(name = "advertise address {0}: apiserver probe host \"{1}\"")
  @CsvSource({"192.168.0.10, 192.168.0.10", "0.0.0.0, ''", "'::', ''", "fd00::1, fd00::1"})
  void apiServerProbeHost(String adv, String host) {
    assertThat(
            manifests
                .apiServer(Fixtures.defaults().advertiseAddress(Fixtures.ip(adv)).build())
                .livenessProbe()
                .host())
        .isEqualTo(host);
  }

  @ParameterizedTest(
      name = "controlPlaneComponentHealthCheck {0} gives startup failureThreshold {1}")
  @CsvSource({"PT4M, 24", "PT1M, 6", "PT65S, 7", "PT0.5S, 1", "PT10M, 60"})
  void startupFailureThreshold(Duration timeout, int threshold) {
    ControlPlaneInputs in = Fixtures.defaults().controlPlaneComponentHealthCheck(timeout).build();
    for (StaticPod pod : manifests.build(in).values()) {
      assertThat(pod.startupProbe().failureThreshold()).as(pod.name()).isEqualTo(threshold);
    }
  }

  @ParameterizedTest(name = "{0} \"{1}\" is rejected")
  @CsvSource({
    "kubernetesVersion, v1.35.0",
    "nodeRegistration.name, ''",
  })
  void invalidInputsNameTheField(String field, String value) {
    var builder = Fixtures.defaults();
    switch (field) {
      case "kubernetesVersion" -> builder.version(KubernetesVersion.parse(value));
      case "nodeRegistration.name" -> builder.nodeName(value);
      default -> throw new IllegalArgumentException(field);
    }
    assertThatThrownBy(builder::build)
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(field)
        .extracting(e -> ((InvalidInputException) e).field())
        .isEqualTo(field);
  }

  @Test
  void renderingIsByteStable() {
    ManifestRenderer renderer = new ManifestRenderer(manifests);
    ControlPlaneInputs in = Fixtures.customWithExternalEtcd();
    Map<String, String> first = renderer.renderAll(in);
    for (int i = 0; i < 50; i++) {
      assertThat(renderer.renderAll(in)).isEqualTo(first);
    }
    assertThat(new ManifestRenderer(manifests).renderAll(in)).isEqualTo(first);
  }
}
