package dev.kubeboot.templates;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rendered files compared byte for byte with src/test/resources/golden/<scenario>/. Each golden
 * file starts with {@code #} lines naming the kubeadm sources it was checked against; the
 * comparison skips them. Run with {@code -Dgolden.update=true} to rewrite them, then read the diff
 * against kubeadm before keeping it. (The cli's golden files cover the whole render from kubeadm
 * configs.)
 */
class GoldenFileTest {

  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");

  private static final ManifestRenderer MANIFESTS = new ManifestRenderer();
  private static final KubeconfigRenderer KUBECONFIGS = new KubeconfigRenderer();

  private static final String CHECKED_AGAINST =
      "kubeadm cmd/kubeadm/app/phases/controlplane/manifests.go, phases/etcd/local.go,"
          + " util/staticpod/utils.go, util/kubeconfig/kubeconfig.go; per-release facts:"
          + " KubeadmRelease.TABLE";

  static Stream<Arguments> scenarios() {
    return Stream.of(
        Arguments.of(
            "default v1.34 config",
            "default-v1.34",
            render(
                Fixtures.defaults().build(),
                "admin.conf",
                ApiServerUrls.local(Fixtures.ADV, 6443),
                "kubernetes-admin")),
        Arguments.of(
            "extraArgs, extraVolumes, extraEnvs, proxy env, podSubnet, external etcd and CA",
            "custom-external-etcd",
            render(
                Fixtures.customWithExternalEtcd(),
                "admin.conf",
                ApiServerUrls.of("lb.corp.example", 6443),
                "kubernetes-admin")),
        Arguments.of(
            "IPv6 advertise address with a customised local etcd",
            "ipv6-local-etcd",
            render(
                Fixtures.ipv6LocalEtcd(),
                "controller-manager.conf",
                ApiServerUrls.local(Fixtures.ip("fd00:10::10"), 8443),
                "system:kube-controller-manager")),
        Arguments.of(
            "Kubernetes v1.31: numbered probe ports, scheduler on /healthz",
            "v1.31",
            MANIFESTS.renderAll(Fixtures.v131())),
        Arguments.of(
            "etcd 3.4.23-0 (Debian's etcd): /health probes, no readiness",
            "etcd-3.4",
            Map.of("etcd.yaml", MANIFESTS.renderAll(Fixtures.etcd34()).get("etcd.yaml"))));
  }

  private static Map<String, String> render(
      ControlPlaneInputs in, String kubeconfigFile, String server, String user) {
    Map<String, String> files = new LinkedHashMap<>(MANIFESTS.renderAll(in));
    files.put(kubeconfigFile, KUBECONFIGS.render(Fixtures.kubeconfig(server, user)));
    return files;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void matchesGoldenFiles(String description, String scenario, Map<String, String> files)
      throws IOException {
    Path dir = GOLDEN.resolve(scenario);
    if (UPDATE) {
      Files.createDirectories(dir);
      try (Stream<Path> old = Files.list(dir)) {
        for (Path p : old.toList()) {
          Files.delete(p);
        }
      }
      for (var e : files.entrySet()) {
        Files.writeString(
            dir.resolve(e.getKey()),
            "# " + description + "\n# checked against: " + CHECKED_AGAINST + "\n" + e.getValue(),
            StandardCharsets.UTF_8);
      }
    }
    try (Stream<Path> present = Files.list(dir)) {
      assertThat(present.map(p -> p.getFileName().toString()))
          .as("golden files of %s", scenario)
          .containsExactlyInAnyOrderElementsOf(files.keySet());
    }
    for (var e : files.entrySet()) {
      String golden = Files.readString(dir.resolve(e.getKey()), StandardCharsets.UTF_8);
      assertThat(golden)
          .as("%s/%s names its kubeadm source", scenario, e.getKey())
          .contains("\n# checked against: kubeadm ");
      int body = 0;
      while (golden.startsWith("#", body)) {
        body = golden.indexOf('\n', body) + 1;
      }
      assertThat(e.getValue())
          .as("%s/%s (rerun with -Dgolden.update=true to accept a change)", scenario, e.getKey())
          .isEqualTo(golden.substring(body));
    }
  }
}
