package dev.kubeboot.templates;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Every rendered manifest parsed back with SnakeYAML says what the model says. */
class RoundTripTest {

  // Shared: parsing the templates once per renderer is the point of keeping a renderer.
  private static final ControlPlaneManifests manifests = new ControlPlaneManifests();
  private static final ManifestRenderer renderer = new ManifestRenderer(manifests);

  static Stream<Arguments> inputs() {
    return Stream.of(
        Arguments.of("default v1.34", Fixtures.defaults().build()),
        Arguments.of("custom with external etcd", Fixtures.customWithExternalEtcd()),
        Arguments.of("IPv6 with local etcd", Fixtures.ipv6LocalEtcd()),
        Arguments.of("v1.31", Fixtures.v131()),
        Arguments.of("etcd 3.4", Fixtures.etcd34()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void renderedManifestsParseBackToTheModel(String name, ControlPlaneInputs in) {
    for (StaticPod pod : manifests.build(in).values()) {
      Map<String, Object> doc = load(renderer.render(pod));
      assertThat(doc).containsEntry("apiVersion", "v1").containsEntry("kind", "Pod");
      assertThat(List.copyOf(doc.keySet()))
          .containsExactly("apiVersion", "kind", "metadata", "spec", "status");
      Map<String, Object> metadata = map(doc.get("metadata"));
      assertThat(metadata)
          .containsEntry("name", pod.name())
          .containsEntry("namespace", "kube-system");
      assertThat(metadata.get("labels")).isEqualTo(pod.labels());
      if (!pod.annotations().isEmpty()) {
        assertThat(metadata.get("annotations")).isEqualTo(pod.annotations());
      }
      assertThat(metadata.containsKey("creationTimestamp")).isEqualTo(pod.creationTimestampNull());
      Map<String, Object> spec = map(doc.get("spec"));
      assertThat(spec)
          .containsEntry("hostNetwork", true)
          .containsEntry("priority", 2000001000)
          .containsEntry("priorityClassName", "system-node-critical")
          .containsEntry(
              "securityContext", Map.of("seccompProfile", Map.of("type", "RuntimeDefault")));
      List<Object> containers = list(spec.get("containers"));
      assertThat(containers).hasSize(1);
      Map<String, Object> c = map(containers.get(0));
      assertThat(c.get("command")).isEqualTo(pod.command());
      assertThat(c).containsEntry("name", pod.name()).containsEntry("image", pod.image());
      assertThat(c.get("imagePullPolicy")).isEqualTo(pod.imagePullPolicy());
      assertThat(c.get("resources")).isEqualTo(Map.of("requests", pod.resourceRequests()));
      assertProbe(c.get("livenessProbe"), pod.livenessProbe());
      assertProbe(c.get("readinessProbe"), pod.readinessProbe());
      assertProbe(c.get("startupProbe"), pod.startupProbe());
      assertThat(c.get("env")).isEqualTo(pod.env().isEmpty() ? null : envMaps(pod.env()));
      assertThat(c.get("ports"))
          .isEqualTo(
              pod.ports().isEmpty()
                  ? null
                  : pod.ports().stream()
                      .map(
                          p ->
                              Map.of(
                                  "containerPort",
                                  p.containerPort(),
                                  "name",
                                  p.name(),
                                  "protocol",
                                  p.protocol()))
                      .toList());
      List<Map<String, Object>> volumes = new ArrayList<>();
      for (HostPathVolume v : pod.volumes()) {
        Map<String, Object> hostPath = new LinkedHashMap<>();
        hostPath.put("path", v.path());
        hostPath.put("type", v.type());
        volumes.add(Map.of("hostPath", hostPath, "name", v.name()));
      }
      assertThat(spec.get("volumes")).isEqualTo(volumes);
      List<Map<String, Object>> mounts = new ArrayList<>();
      for (VolumeMount m : pod.volumeMounts()) {
        Map<String, Object> mount = new LinkedHashMap<>();
        mount.put("mountPath", m.mountPath());
        mount.put("name", m.name());
        if (m.readOnly()) {
          mount.put("readOnly", true);
        }
        mounts.add(mount);
      }
      assertThat(c.get("volumeMounts")).isEqualTo(mounts);
      assertThat(doc.get("status")).isEqualTo(Map.of());
    }
  }

  @ParameterizedTest(name = "the string {0} round-trips")
  @ValueSource(
      strings = {
        "a: b",
        "#x",
        "x #y",
        "*",
        "*,bootstrapsigner",
        "&anchor",
        "!tag",
        "|",
        ">",
        "%x",
        "@x",
        "`x",
        "yes",
        "No",
        "on",
        "OFF",
        "y",
        "n",
        "~",
        "null",
        "NULL",
        "true",
        "False",
        "<<",
        "=",
        "0123",
        "0o17",
        "0x1F",
        "0b101",
        "1_000",
        "12:30",
        "1:20:30.5",
        "1e3",
        ".5",
        "-.inf",
        ".NaN",
        "+12",
        "-0",
        "2001-12-14",
        "2001-12-14t21:59:43.10-05:00",
        "\"",
        "'",
        "\\",
        "a\"b'c\\d",
        "line1\nline2",
        "tab\there",
        "cr\r",
        " leading",
        "trailing ",
        "",
        " ",
        "-",
        "- x",
        "--x",
        "? x",
        ": x",
        "?",
        ":",
        "x:",
        "[a, b]",
        "{a: b}",
        "a,b",
        "---",
        "...",
        "--- x",
        "üñíçødé",
        "emoji 😀",
        "bell\u0007",
        "nel\u0085",
        "ls\u2028",
        "del\u007f",
        "bom\ufeff",
        "nul\u0000",
        "250m",
        "100Mi",
        "http://[::1]:2381",
        "::1",
        "fd00::1",
        "10.96.0.0/12",
        "/health?exclude=NOSPACE&serializable=true"
      })
  void specialCharactersRoundTripThroughEveryKindOfField(String value) {
    ControlPlaneInputs in =
        Fixtures.defaults()
            .nodeName(value.isBlank() ? "x" : value)
            .apiServer(
                new ComponentConfig(
                    List.of(Arg.of("v", value)),
                    List.of(
                        new HostPathMount(
                            "extra", value.isEmpty() ? "/x" : value, "/mnt", true, value)),
                    List.of(EnvVar.of("VALUE", value.isEmpty() ? "x" : value))))
            .build();
    for (StaticPod pod : manifests.build(in).values()) {
      Map<String, Object> doc = load(renderer.render(pod));
      Map<String, Object> c = map(list(map(doc.get("spec")).get("containers")).get(0));
      assertThat(c.get("command")).isEqualTo(pod.command());
      assertThat(c.get("env")).isEqualTo(pod.env().isEmpty() ? null : envMaps(pod.env()));
    }
    StaticPod apiServer = manifests.apiServer(in);
    Map<String, Object> spec = map(load(renderer.render(apiServer)).get("spec"));
    Map<String, Object> extra =
        list(spec.get("volumes")).stream()
            .map(RoundTripTest::map)
            .filter(v -> "extra".equals(v.get("name")))
            .findFirst()
            .orElseThrow();
    assertThat(map(extra.get("hostPath")).get("path")).isEqualTo(value.isEmpty() ? "/x" : value);
    assertThat(map(extra.get("hostPath")).get("type")).isEqualTo(value);
  }

  @Test
  void specialCharactersRoundTripInKubeconfigs() {
    KubeconfigModel model =
        new KubeconfigModel("a: b", "https://[::1]:6443", "#x", "yes", "0123", "\"\n");
    Map<String, Object> doc = load(new KubeconfigRenderer().render(model));
    Map<String, Object> cluster = map(map(list(doc.get("clusters")).get(0)).get("cluster"));
    assertThat(cluster)
        .containsEntry("server", "https://[::1]:6443")
        .containsEntry("certificate-authority-data", "#x");
    Map<String, Object> user = map(list(doc.get("users")).get(0));
    assertThat(user).containsEntry("name", "yes");
    assertThat(map(user.get("user")))
        .containsEntry("client-certificate-data", "0123")
        .containsEntry("client-key-data", "\"\n");
    assertThat(doc).containsEntry("current-context", "yes@a: b").containsEntry("kind", "Config");
    assertThat(doc.get("preferences")).isEqualTo(Map.of());
  }

  private static List<Map<String, Object>> envMaps(List<EnvVar> env) {
    return env.stream()
        .map(e -> Map.<String, Object>of("name", e.name(), "value", e.value()))
        .toList();
  }

  private static void assertProbe(Object rendered, HttpProbe probe) {
    if (probe == null) {
      assertThat(rendered).isNull();
      return;
    }
    Map<String, Object> p = map(rendered);
    Map<String, Object> httpGet = map(p.get("httpGet"));
    assertThat(httpGet.get("host")).isEqualTo(probe.host().isEmpty() ? null : probe.host());
    assertThat(httpGet)
        .containsEntry("path", probe.path())
        .containsEntry("scheme", probe.scheme())
        .containsEntry(
            "port", probe.port().isNamed() ? probe.port().name() : probe.port().number());
    assertThat(p.get("failureThreshold")).isEqualTo(probe.failureThreshold());
    assertThat(p.get("periodSeconds")).isEqualTo(probe.periodSeconds());
    assertThat(p.get("timeoutSeconds")).isEqualTo(probe.timeoutSeconds());
    assertThat(p.get("initialDelaySeconds"))
        .isEqualTo(probe.initialDelaySeconds() == 0 ? null : probe.initialDelaySeconds());
  }

  static Map<String, Object> load(String yaml) {
    return new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return (List<Object>) o;
  }
}
