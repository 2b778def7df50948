package dev.kubeboot.cli.day2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestsCommandTest {
  private static final String CHANGED =
      """
      apiServer:
        extraArgs:
        - name: allow-privileged
          value: "false"
        - name: audit-log-maxage
          value: "30"
      scheduler:
        extraArgs:
        - name: v
          value: "2"
      """;

  @TempDir Path tmp;

  private Result changeConfig(Node node, String extra, String... args) throws IOException {
    Path changed = tmp.resolve("changed.yaml");
    Files.writeString(changed, node.configText(extra));
    var all =
        new java.util.ArrayList<>(
            List.of(
                "manifests",
                "--config",
                changed.toString(),
                "--kubernetes-dir",
                node.kubernetesDir.toString()));
    all.addAll(List.of(args));
    var r = node.run(all.toArray(String[]::new));
    return new Result(r.code(), r.out(), r.err());
  }

  record Result(int code, String out, String err) {}

  @Test
  void theDiffOfAChangedConfigMatchesTheGoldenFile() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Result result = changeConfig(node, CHANGED, "--diff");
    assertThat(result.code()).as(result.err()).isZero();
    String normalized =
        result
            .out()
            .replace(node.root.toString(), "${ROOT}")
            .replaceAll("\\d{8}T\\d{6}\\.\\d{3}Z", "<timestamp>");
    String golden = Files.readString(Path.of("src/test/resources/day2/manifests-diff.golden"));
    assertThat(normalized).isEqualTo(golden);
  }

  @Test
  void theDiffAppliedWithPatchToTheBackupGivesTheNewManifest() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Result result = changeConfig(node, CHANGED, "--diff", "kube-apiserver");
    assertThat(result.code()).as(result.err()).isZero();
    Path backup = onlyBackup(node);
    Path diff = tmp.resolve("apiserver.diff");
    Files.writeString(
        diff,
        result
            .out()
            .lines()
            .filter(l -> !l.startsWith("[manifests]"))
            .map(l -> l + "\n")
            .reduce("", String::concat));
    Path patched = tmp.resolve("patched.yaml");
    var patch =
        new ProcessBuilder(
                "patch", "-s", "-o", patched.toString(), backup.toString(), diff.toString())
            .redirectErrorStream(true)
            .start();
    String patchOutput = new String(patch.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(patch.waitFor()).as(patchOutput).isZero();
    assertThat(Files.readString(patched))
        .isEqualTo(Files.readString(node.manifests.resolve("kube-apiserver.yaml")));
  }

  @Test
  void onlyChangedManifestsAreWrittenBackedUpAndRecorded() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    var old = FileTime.fromMillis(0);
    for (String f :
        List.of(
            "etcd.yaml",
            "kube-apiserver.yaml",
            "kube-controller-manager.yaml",
            "kube-scheduler.yaml")) {
      Files.setLastModifiedTime(node.manifests.resolve(f), old);
    }
    String apiserverBefore = Files.readString(node.manifests.resolve("kube-apiserver.yaml"));

    Result result = changeConfig(node, CHANGED);

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out())
        .contains("etcd.yaml: unchanged")
        .contains("kube-controller-manager.yaml: unchanged")
        .contains("kube-apiserver.yaml: updated (previous version kept as ")
        .contains("kube-scheduler.yaml: updated");
    assertThat(Files.getLastModifiedTime(node.manifests.resolve("etcd.yaml"))).isEqualTo(old);
    assertThat(Files.getLastModifiedTime(node.manifests.resolve("kube-controller-manager.yaml")))
        .isEqualTo(old);
    assertThat(Files.readString(node.manifests.resolve("kube-apiserver.yaml")))
        .contains("--allow-privileged=false", "--audit-log-maxage=30");
    try (Stream<Path> backups = Files.list(node.kubernetesDir.resolve("runner/manifest-backups"))) {
      List<Path> files = backups.sorted().toList();
      assertThat(files)
          .extracting(p -> p.getFileName().toString())
          .satisfiesExactly(
              a -> assertThat(a).matches("kube-apiserver\\.\\d{8}T\\d{6}\\.\\d{3}Z\\.yaml"),
              s -> assertThat(s).matches("kube-scheduler\\.\\d{8}T\\d{6}\\.\\d{3}Z\\.yaml"));
      assertThat(Files.readString(files.get(0))).isEqualTo(apiserverBefore);
    }
    Map<String, String> record = record(node);
    for (String f :
        List.of(
            "etcd.yaml",
            "kube-apiserver.yaml",
            "kube-controller-manager.yaml",
            "kube-scheduler.yaml")) {
      assertThat(record).containsEntry(f, sha256(node.manifests.resolve(f)));
    }
    try (Stream<Path> entries = Files.list(node.manifests)) {
      assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
    }
  }

  @Test
  void aSecondRunReportsEverythingUnchanged() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    assertThat(changeConfig(node, CHANGED).code()).isZero();
    Result again = changeConfig(node, CHANGED, "--diff");
    assertThat(again.code()).isZero();
    assertThat(again.out().lines().toList()).hasSize(4).allMatch(l -> l.endsWith(": unchanged"));
  }

  @Test
  void aDryRunPrintsTheDiffAndChangesNothing() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    String before = Files.readString(node.manifests.resolve("kube-apiserver.yaml"));
    String recordBefore =
        Files.readString(node.kubernetesDir.resolve(".kubeboot-manifests.sha256"));

    Result result = changeConfig(node, CHANGED, "--diff", "--dry-run");

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out())
        .contains("+    - --allow-privileged=false", "kube-apiserver.yaml: would be updated");
    assertThat(Files.readString(node.manifests.resolve("kube-apiserver.yaml"))).isEqualTo(before);
    assertThat(Files.readString(node.kubernetesDir.resolve(".kubeboot-manifests.sha256")))
        .isEqualTo(recordBefore);
    assertThat(node.kubernetesDir.resolve("runner")).doesNotExist();
  }

  @Test
  void aConfigThatNoLongerValidatesIsAUsageError() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Result result = changeConfig(node, "apiServer:\n  extraArgz: []\n");
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("extraArgz");
  }

  @Test
  void anUnknownComponentIsAUsageError() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Result result = changeConfig(node, "", "kube-proxy");
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("unknown component \"kube-proxy\"", "kube-scheduler");
  }

  @Test
  void anUnwritableManifestDirectoryIsAClearError() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    assumeTrue(chattr("+i", node.manifests), "chattr +i is not supported on this file system");
    try {
      Result result = changeConfig(node, CHANGED);
      assertThat(result.code()).isEqualTo(1);
      assertThat(result.err())
          .contains("the manifest directory " + node.manifests + " is not a writable directory");
    } finally {
      chattr("-i", node.manifests);
    }
    assertThat(Files.readString(node.manifests.resolve("kube-apiserver.yaml")))
        .contains("--allow-privileged=true");
  }

  private static boolean chattr(String flag, Path dir) throws Exception {
    return new ProcessBuilder("chattr", flag, dir.toString())
            .redirectErrorStream(true)
            .start()
            .waitFor()
        == 0;
  }

  private static Path onlyBackup(Node node) throws IOException {
    try (Stream<Path> backups = Files.list(node.kubernetesDir.resolve("runner/manifest-backups"))) {
      List<Path> all = backups.toList();
      assertThat(all).hasSize(1);
      return all.getFirst();
    }
  }

  private static Map<String, String> record(Node node) throws IOException {
    var map = new java.util.HashMap<String, String>();
    for (String line :
        Files.readAllLines(node.kubernetesDir.resolve(".kubeboot-manifests.sha256"))) {
      String[] parts = line.split("\\s+");
      map.put(parts[1], parts[0]);
    }
    return map;
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
