package dev.kubeboot.runner.manifest;

import static dev.kubeboot.runner.manifest.TestManifests.at;
import static dev.kubeboot.runner.manifest.TestManifests.pod;
import static dev.kubeboot.runner.manifest.TestManifests.resource;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.ContainerPort;
import dev.kubeboot.runner.pod.EnvVar;
import dev.kubeboot.runner.pod.ImagePullPolicy;
import dev.kubeboot.runner.pod.IpField;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.PortRef;
import dev.kubeboot.runner.pod.Probe;
import dev.kubeboot.runner.pod.ProbeAction;
import dev.kubeboot.runner.pod.ProbeTiming;
import dev.kubeboot.runner.pod.RestartPolicy;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.pod.Volume;
import dev.kubeboot.runner.pod.VolumeMount;
import dev.kubeboot.runner.pod.VolumeSource;
import dev.kubeboot.runner.runtime.VariableExpansion;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestDecoderTest {
  static final Instant SEEN = Instant.parse("2026-01-02T03:04:05.000000007Z");
  static final Path DIR = Path.of("/etc/kubernetes/manifests");

  final ManifestDecoder decoder = new ManifestDecoder(Clock.fixed(SEEN, ZoneOffset.UTC));

  StaticPod decode(String yaml) throws ManifestException {
    return decoder.decode(yaml.getBytes(UTF_8), DIR.resolve("pod.yaml"), "Node-1");
  }

  @Test
  void aKubeadmApiserverManifestDecodesToWhatTheRunnerNeeds() throws Exception {
    Path file = DIR.resolve("kube-apiserver.yaml");
    StaticPod pod = decoder.decode(resource("kube-apiserver.yaml"), file, "node-1");

    assertThat(pod.key()).isEqualTo(new PodKey("kube-system", "kube-apiserver-node-1"));
    assertThat(pod.uid()).matches("[0-9a-f]{32}");
    assertThat(pod.source()).isEqualTo(file);
    assertThat(pod.labels())
        .isEqualTo(Map.of("component", "kube-apiserver", "tier", "control-plane"));
    assertThat(pod.annotations())
        .containsEntry(
            "kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint", "192.168.56.10:6443")
        .containsEntry("kubernetes.io/config.source", "file")
        .containsEntry("kubernetes.io/config.hash", pod.uid())
        .containsEntry("kubernetes.io/config.seen", "2026-01-02T03:04:05.000000007Z");
    assertThat(pod.spec().hostNetwork()).isTrue();
    assertThat(pod.spec().restartPolicy()).isEqualTo(RestartPolicy.ALWAYS);
    assertThat(pod.spec().terminationGracePeriod()).isEqualTo(Duration.ofSeconds(30));
    assertThat(pod.spec().initContainers()).isEmpty();
    assertThat(pod.spec().volumes())
        .hasSize(5)
        .contains(
            new Volume(
                "k8s-certs",
                new VolumeSource.HostPath("/etc/kubernetes/pki", "DirectoryOrCreate")));

    Container c = pod.spec().containers().get(0);
    assertThat(c.name()).isEqualTo("kube-apiserver");
    assertThat(c.image()).isEqualTo("registry.k8s.io/kube-apiserver:v1.34.2");
    assertThat(c.imagePullPolicy()).isEqualTo(ImagePullPolicy.IF_NOT_PRESENT);
    assertThat(c.command())
        .hasSize(28)
        .startsWith("kube-apiserver", "--advertise-address=192.168.56.10");
    assertThat(c.args()).isEmpty();
    assertThat(c.ports()).containsExactly(new ContainerPort("probe-port", 6443, "TCP", 6443));
    assertThat(c.volumeMounts())
        .contains(new VolumeMount("k8s-certs", "/etc/kubernetes/pki", true));
    assertThat(c.resources().requests()).isEqualTo(Map.of("cpu", "250m"));
    ProbeAction.HttpGet livez =
        new ProbeAction.HttpGet(
            "HTTPS",
            Optional.of("192.168.56.10"),
            new PortRef.Named("probe-port"),
            "/livez",
            List.of());
    assertThat(c.livenessProbe())
        .contains(
            new Probe(
                livez,
                new ProbeTiming(
                    Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(15), 1, 8),
                Optional.empty()));
    assertThat(c.readinessProbe().orElseThrow().timing())
        .isEqualTo(
            new ProbeTiming(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(15), 1, 3));
    assertThat(c.startupProbe().orElseThrow().timing().failureThreshold()).isEqualTo(24);
    assertThat(c.resolve(new PortRef.Named("probe-port"))).contains(6443);
    // kubeadm writes these; carried although the runner does not act on them
    assertThat(at(pod.object(), "spec.priorityClassName")).isEqualTo("system-node-critical");
    assertThat(at(pod.object(), "spec.securityContext.seccompProfile.type"))
        .isEqualTo("RuntimeDefault");
    assertThat(at(pod.object(), "status")).isEqualTo(Map.of());
  }

  @Test
  void aKubeadmEtcdManifestDecodes() throws Exception {
    StaticPod pod = decoder.decode(resource("etcd.yaml"), DIR.resolve("etcd.yaml"), "node-1");

    assertThat(pod.key()).isEqualTo(new PodKey("kube-system", "etcd-node-1"));
    Container c = pod.spec().containers().get(0);
    assertThat(c.image()).isEqualTo("registry.k8s.io/etcd:3.6.4-0");
    assertThat(c.resources().requests()).isEqualTo(Map.of("cpu", "100m", "memory", "100Mi"));
    assertThat(c.volumeMounts())
        .containsExactly(
            new VolumeMount("etcd-data", "/var/lib/etcd", false),
            new VolumeMount("etcd-certs", "/etc/kubernetes/pki/etcd", false));
    assertThat(c.readinessProbe().orElseThrow().action())
        .isEqualTo(
            new ProbeAction.HttpGet(
                "HTTP",
                Optional.of("127.0.0.1"),
                new PortRef.Named("probe-port"),
                "/readyz",
                List.of()));
    assertThat(c.resolve(new PortRef.Named("probe-port"))).contains(2381);
  }

  @Test
  void aJsonManifestDecodesTabsAndAll() throws Exception {
    StaticPod pod = decoder.decode(resource("minimal.json"), DIR.resolve("web.json"), "node-1");

    assertThat(pod.key()).isEqualTo(new PodKey("default", "web-node-1"));
    assertThat(pod.labels()).isEqualTo(Map.of("app", "web"));
    assertThat(pod.annotations()).containsEntry("note", "a/b \u00e9\t");
    Container c = pod.spec().containers().get(0);
    assertThat(c.ports()).containsExactly(new ContainerPort("http", 80, "TCP", 0));
    assertThat(c.livenessProbe().orElseThrow())
        .isEqualTo(
            new Probe(
                new ProbeAction.TcpSocket(Optional.empty(), new PortRef.Named("http")),
                ProbeTiming.DEFAULTS,
                Optional.empty()));
  }

  static Stream<Arguments> defaults() {
    String hostNet =
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          hostNetwork: true
          volumes: [{name: scratch}, {name: h, hostPath: {path: /x}}]
          containers:
          - name: app
            image: nginx:1.27
            ports: [{containerPort: 80}]
            resources: {limits: {cpu: "1", memory: 1Gi}, requests: {cpu: 500m}}
            readinessProbe: {httpGet: {port: 80}}
            lifecycle: {preStop: {httpGet: {port: 80}}}
        """;
    return Stream.of(
        Arguments.of(
            "the namespace defaults to default",
            pod("web", "nginx"),
            "metadata.namespace",
            "default"),
        Arguments.of(
            "the name gets the lower-cased node name",
            pod("web", "nginx"),
            "metadata.name",
            "web-node-1"),
        Arguments.of(
            "spec.nodeName is the node name as given",
            pod("web", "nginx"),
            "spec.nodeName",
            "Node-1"),
        Arguments.of(
            "a NoExecute toleration is added",
            pod("web", "nginx"),
            "spec.tolerations[0]",
            Map.of("operator", "Exists", "effect", "NoExecute")),
        Arguments.of(
            "the config source is file",
            pod("web", "nginx"),
            "metadata.annotations.kubernetes\u2024io/config\u2024source",
            "file"),
        Arguments.of(
            "restartPolicy defaults to Always",
            pod("web", "nginx"),
            "spec.restartPolicy",
            "Always"),
        Arguments.of(
            "dnsPolicy defaults to ClusterFirst",
            pod("web", "nginx"),
            "spec.dnsPolicy",
            "ClusterFirst"),
        Arguments.of(
            "the grace period defaults to 30 s",
            pod("web", "nginx"),
            "spec.terminationGracePeriodSeconds",
            30L),
        Arguments.of(
            "schedulerName defaults to default-scheduler",
            pod("web", "nginx"),
            "spec.schedulerName",
            "default-scheduler"),
        Arguments.of(
            "service links are enabled", pod("web", "nginx"), "spec.enableServiceLinks", true),
        Arguments.of(
            "the pod security context defaults to empty",
            pod("web", "nginx"),
            "spec.securityContext",
            Map.of()),
        Arguments.of(
            "terminationMessagePath defaults",
            pod("web", "nginx"),
            "spec.containers[0].terminationMessagePath",
            "/dev/termination-log"),
        Arguments.of(
            "terminationMessagePolicy defaults to File",
            pod("web", "nginx"),
            "spec.containers[0].terminationMessagePolicy",
            "File"),
        Arguments.of(
            "an image without a tag is pulled Always",
            pod("web", "nginx"),
            "spec.containers[0].imagePullPolicy",
            "Always"),
        Arguments.of(
            "an image tagged latest is pulled Always",
            pod("web", "nginx:latest"),
            "spec.containers[0].imagePullPolicy",
            "Always"),
        Arguments.of(
            "a registry port is not a tag",
            pod("web", "reg:5000/nginx"),
            "spec.containers[0].imagePullPolicy",
            "Always"),
        Arguments.of(
            "a tagged image is pulled IfNotPresent",
            pod("web", "reg:5000/nginx:1.27"),
            "spec.containers[0].imagePullPolicy",
            "IfNotPresent"),
        Arguments.of(
            "an image by digest is pulled IfNotPresent",
            pod("web", "nginx@sha256:" + "a".repeat(64)),
            "spec.containers[0].imagePullPolicy",
            "IfNotPresent"),
        Arguments.of(
            "a port's protocol defaults to TCP",
            hostNet,
            "spec.containers[0].ports[0].protocol",
            "TCP"),
        Arguments.of(
            "a hostNetwork pod's hostPort is its containerPort",
            hostNet,
            "spec.containers[0].ports[0].hostPort",
            80L),
        Arguments.of(
            "httpGet path defaults to /",
            hostNet,
            "spec.containers[0].readinessProbe.httpGet.path",
            "/"),
        Arguments.of(
            "httpGet scheme defaults to HTTP",
            hostNet,
            "spec.containers[0].readinessProbe.httpGet.scheme",
            "HTTP"),
        Arguments.of(
            "a preStop httpGet gets the same defaults",
            hostNet,
            "spec.containers[0].lifecycle.preStop.httpGet.path",
            "/"),
        Arguments.of(
            "probe timeout defaults to 1",
            hostNet,
            "spec.containers[0].readinessProbe.timeoutSeconds",
            1L),
        Arguments.of(
            "probe period defaults to 10",
            hostNet,
            "spec.containers[0].readinessProbe.periodSeconds",
            10L),
        Arguments.of(
            "probe success threshold defaults to 1",
            hostNet,
            "spec.containers[0].readinessProbe.successThreshold",
            1L),
        Arguments.of(
            "probe failure threshold defaults to 3",
            hostNet,
            "spec.containers[0].readinessProbe.failureThreshold",
            3L),
        Arguments.of(
            "a volume without a source is an emptyDir",
            hostNet,
            "spec.volumes[0].emptyDir",
            Map.of()),
        Arguments.of(
            "a hostPath type defaults to empty", hostNet, "spec.volumes[1].hostPath.type", ""),
        Arguments.of(
            "a limit without a request becomes the request",
            hostNet,
            "spec.containers[0].resources.requests.memory",
            "1Gi"),
        Arguments.of(
            "a request that is set is kept",
            hostNet,
            "spec.containers[0].resources.requests.cpu",
            "500m"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("defaults")
  void defaulting(String sentence, String yaml, String path, Object expected) throws Exception {
    StaticPod pod = decode(yaml);
    // U+2024 stands for a '.' inside a key in the path notation
    String[] parts = path.split("\\.");
    Object node = pod.object();
    for (String part : parts) {
      String key = part.replace('\u2024', '.');
      int bracket = key.indexOf('[');
      if (bracket >= 0) {
        node =
            ((List<?>) ((Map<?, ?>) node).get(key.substring(0, bracket)))
                .get(Integer.parseInt(key.substring(bracket + 1, key.length() - 1)));
      } else {
        node = ((Map<?, ?>) node).get(key);
      }
    }
    assertThat(node).isEqualTo(expected);
  }

  @Test
  void theTypedSpecCarriesTheDefaults() throws Exception {
    StaticPod pod = decode(pod("web", "nginx"));
    Container c = pod.spec().containers().get(0);
    assertThat(c.imagePullPolicy()).isEqualTo(ImagePullPolicy.ALWAYS);
    assertThat(pod.spec().restartPolicy()).isEqualTo(RestartPolicy.ALWAYS);
    assertThat(pod.spec().terminationGracePeriod()).isEqualTo(Duration.ofSeconds(30));
    assertThat(pod.spec().hostNetwork()).isFalse();
  }

  @Test
  void hostnameHostAliasesAndDnsSettingsAreRead() throws Exception {
    StaticPod pod =
        decode(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: web}
            spec:
              hostname: myhost
              subdomain: sub
              dnsPolicy: None
              dnsConfig:
                nameservers: [192.0.2.53]
                searches: [example.org.]
                options: [{name: ndots, value: "2"}, {name: edns0}]
              hostAliases:
              - {ip: 10.1.2.3, hostnames: [foo.local, bar.local]}
              containers:
              - name: app
                image: nginx:1
                ports: [{containerPort: 80, hostPort: 8080, hostIP: 192.0.2.9}]
            """);
    var names = pod.spec().names();
    assertThat(names.dnsPolicy()).isEqualTo("None");
    assertThat(names.hostname()).contains("myhost");
    assertThat(names.subdomain()).contains("sub");
    assertThat(names.hostAliases())
        .containsExactly(
            new dev.kubeboot.runner.pod.NameResolution.HostAlias(
                "10.1.2.3", List.of("foo.local", "bar.local")));
    var dns = names.dnsConfig().orElseThrow();
    assertThat(dns.nameservers()).containsExactly("192.0.2.53");
    assertThat(dns.searches()).containsExactly("example.org.");
    assertThat(dns.options()).extracting(Object::toString).containsExactly("ndots:2", "edns0");
    assertThat(pod.spec().containers().get(0).ports())
        .containsExactly(new ContainerPort("", 80, "TCP", 8080, "192.0.2.9"));
    assertThat(decode(pod("web", "nginx")).spec().names())
        .isEqualTo(dev.kubeboot.runner.pod.NameResolution.DEFAULT);
  }

  @Test
  void theSeenTimeHasNineFractionalDigitsInUtc() throws Exception {
    ManifestDecoder atWholeSecond =
        new ManifestDecoder(Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.UTC));
    StaticPod pod =
        atWholeSecond.decode(pod("web", "nginx").getBytes(UTF_8), DIR.resolve("a.yaml"), "n");
    assertThat(pod.annotations().get("kubernetes.io/config.seen"))
        .isEqualTo("2026-03-04T05:06:07.000000000Z");
  }

  @Test
  void theObjectTreeIsImmutableAndSorted() throws Exception {
    StaticPod pod = decode(pod("web", "nginx"));
    assertThat(pod.object().keySet()).containsExactly("apiVersion", "kind", "metadata", "spec");
    assertThatThrownBy(() -> pod.object().put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    List<Object> containers = (List<Object>) at(pod.object(), "spec.containers");
    assertThatThrownBy(() -> containers.add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(at(pod.object(), "metadata.uid")).isEqualTo(pod.uid());
  }

  @Test
  void unknownFieldsAreCarriedNotRefused() throws Exception {
    StaticPod pod =
        decode(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: web}
            spec:
              tolerations: [{key: a, operator: Exists}]
              priorityClassName: system-node-critical
              futureField: {x: 1}
              containers:
              - {name: app, image: nginx, securityContext: {capabilities: {add: [NET_ADMIN]}}, stdin: true}
            """);
    assertThat(at(pod.object(), "spec.futureField.x")).isEqualTo(1L);
    assertThat((List<?>) at(pod.object(), "spec.tolerations")).hasSize(2);
  }

  @Test
  void anExistingNoExecuteTolerationIsNotAddedTwice() throws Exception {
    StaticPod pod =
        decode(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: web}
            spec:
              tolerations: [{operator: Exists, effect: NoExecute}]
              containers: [{name: app, image: nginx}]
            """);
    assertThat((List<?>) at(pod.object(), "spec.tolerations")).hasSize(1);
  }

  @Test
  void fieldRefsKnownAtReadTimeAreResolved() throws Exception {
    StaticPod pod =
        decode(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: kube-system, labels: {tier: cp}}
            spec:
              containers:
              - name: app
                image: nginx
                env:
                - {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
                - {name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
                - {name: NS, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
                - {name: UID, valueFrom: {fieldRef: {fieldPath: metadata.uid}}}
                - {name: TIER, valueFrom: {fieldRef: {fieldPath: "metadata.labels['tier']"}}}
                - {name: PLAIN, value: x}
                - {name: EMPTY}
            """);
    assertThat(pod.spec().containers().get(0).env())
        .containsExactly(
            EnvVar.field("NODE", "Node-1"),
            EnvVar.field("POD", "web-node-1"),
            EnvVar.field("NS", "kube-system"),
            EnvVar.field("UID", pod.uid()),
            EnvVar.field("TIER", "cp"),
            new EnvVar("PLAIN", "x"),
            new EnvVar("EMPTY", ""));
    assertThat(at(pod.object(), "spec.containers[0].env[0].valueFrom.fieldRef.apiVersion"))
        .isEqualTo("v1");
  }

  @Test
  void theNodeIpsResolveHostIpAndTheIpOfAHostNetworkPodAsTheKubeletDoes() throws Exception {
    // kube-vip, keepalived and etcd manifests in the wild take their address from status.podIP
    var withIps =
        new ManifestDecoder(Clock.fixed(SEEN, ZoneOffset.UTC), List.of("10.0.0.5", "fd00::5"));
    String yaml =
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: vip, namespace: kube-system}
        spec:
          hostNetwork: true
          containers:
          - name: app
            image: kube-vip
            env:
            - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
            - {name: POD_IPS, valueFrom: {fieldRef: {fieldPath: status.podIPs}}}
            - {name: HOST_IP, valueFrom: {fieldRef: {fieldPath: status.hostIP, apiVersion: v1}}}
            - {name: HOST_IPS, valueFrom: {fieldRef: {fieldPath: status.hostIPs}}}
            - {name: URL, value: "https://$(POD_IP):2379"}
        """;
    StaticPod pod = withIps.decode(yaml.getBytes(UTF_8), DIR.resolve("vip.yaml"), "node-1");

    assertThat(pod.spec().containers().get(0).env())
        .containsExactly(
            EnvVar.field("POD_IP", "10.0.0.5"),
            EnvVar.field("POD_IPS", "10.0.0.5,fd00::5"),
            EnvVar.field("HOST_IP", "10.0.0.5"),
            EnvVar.field("HOST_IPS", "10.0.0.5,fd00::5"),
            new EnvVar("URL", "https://$(POD_IP):2379"));
    assertThat(VariableExpansion.resolveEnv(pod.spec().containers().get(0).env(), List.of()))
        .containsEntry("URL", "https://10.0.0.5:2379");
    // the UID hashes the pod as written, not the node's IPs
    assertThat(pod.uid())
        .isEqualTo(decoder.decode(yaml.getBytes(UTF_8), DIR.resolve("vip.yaml"), "node-1").uid());
  }

  @Test
  void theIpOfAPodWithANetworkOfItsOwnStaysDeferredUntilItsSandboxHasOne() throws Exception {
    var withIps = new ManifestDecoder(Clock.fixed(SEEN, ZoneOffset.UTC), List.of("192.0.2.7"));
    StaticPod pod =
        withIps.decode(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: etcd, namespace: kube-system}
            spec:
              containers:
              - name: etcd
                image: etcd
                args: ["--listen-client-urls=https://$(POD_IP):2379"]
                env:
                - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
                - {name: POD_IPS, valueFrom: {fieldRef: {fieldPath: status.podIPs}}}
                - {name: HOST_IP, valueFrom: {fieldRef: {fieldPath: status.hostIP}}}
                - {name: URL, value: "https://$(POD_IP):2379"}
            """
                .getBytes(UTF_8),
            DIR.resolve("etcd.yaml"),
            "node-1");

    // Not the node's IP: the pod's own comes from its network, after this read.
    assertThat(pod.spec().containers().get(0).env())
        .containsExactly(
            EnvVar.podIPs("POD_IP", IpField.PRIMARY),
            EnvVar.podIPs("POD_IPS", IpField.ALL),
            EnvVar.field("HOST_IP", "192.0.2.7"),
            new EnvVar("URL", "https://$(POD_IP):2379"));
    assertThat(
            VariableExpansion.resolveEnv(
                pod.spec().containers().get(0).env(), List.of("10.88.0.4", "fd00:88::4")))
        .containsExactly(
            Map.entry("POD_IP", "10.88.0.4"),
            Map.entry("POD_IPS", "10.88.0.4,fd00:88::4"),
            Map.entry("HOST_IP", "192.0.2.7"),
            Map.entry("URL", "https://10.88.0.4:2379"));
  }

  @Test
  void aFieldRefValueIsTakenAsItIsNotExpanded() throws Exception {
    StaticPod pod =
        decode(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: web, annotations: {note: "$(A)-literal"}}
            spec:
              containers:
              - name: app
                image: nginx
                env:
                - {name: A, value: a}
                - {name: NOTE, valueFrom: {fieldRef: {fieldPath: "metadata.annotations['note']"}}}
                - {name: B, value: "$(A)-b"}
            """);
    assertThat(VariableExpansion.resolveEnv(pod.spec().containers().get(0).env(), List.of()))
        .containsExactly(
            Map.entry("A", "a"), Map.entry("NOTE", "$(A)-literal"), Map.entry("B", "a-b"));
  }

  @Test
  void theRunnerOwnedAnnotationsInTheFileAreReplaced() throws Exception {
    StaticPod pod =
        decode(
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
              annotations: {kubernetes.io/config.seen: "2000-01-01T00:00:00Z", kubernetes.io/config.hash: abc, kubernetes.io/config.source: api}
            spec: {containers: [{name: app, image: nginx}]}
            """);
    assertThat(pod.annotations())
        .containsEntry("kubernetes.io/config.seen", "2026-01-02T03:04:05.000000007Z")
        .containsEntry("kubernetes.io/config.hash", pod.uid())
        .containsEntry("kubernetes.io/config.source", "file");
  }

  @Test
  void initContainersSecurityAndPreStopAreTyped() throws Exception {
    StaticPod pod =
        decode(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: web}
            spec:
              restartPolicy: OnFailure
              terminationGracePeriodSeconds: 5
              securityContext: {runAsUser: 1000, runAsGroup: 1000}
              initContainers: [{name: init, image: busybox:1, command: [sh, -c, "true"]}]
              containers:
              - name: app
                image: nginx:1
                workingDir: /srv
                securityContext: {privileged: true, runAsUser: 0}
                lifecycle: {preStop: {sleep: {seconds: 3}}}
                livenessProbe: {exec: {command: [cat, /tmp/ok]}, terminationGracePeriodSeconds: 7}
            """);
    assertThat(pod.spec().restartPolicy()).isEqualTo(RestartPolicy.ON_FAILURE);
    assertThat(pod.spec().terminationGracePeriod()).isEqualTo(Duration.ofSeconds(5));
    assertThat(pod.spec().initContainers()).extracting(Container::name).containsExactly("init");
    Container c = pod.spec().containers().get(0);
    assertThat(c.workingDir()).contains("/srv");
    assertThat(c.securityContext().privileged()).isTrue();
    assertThat(c.securityContext().runAsUser()).contains(0L);
    assertThat(c.securityContext().runAsGroup()).contains(1000L);
    assertThat(c.preStop()).contains(new ProbeAction.Sleep(Duration.ofSeconds(3)));
    assertThat(c.livenessProbe().orElseThrow().terminationGracePeriod())
        .contains(Duration.ofSeconds(7));
    assertThat(c.livenessProbe().orElseThrow().action())
        .isEqualTo(new ProbeAction.Exec(List.of("cat", "/tmp/ok")));
  }
}
