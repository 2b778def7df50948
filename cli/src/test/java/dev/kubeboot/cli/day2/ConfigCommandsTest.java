package dev.kubeboot.cli.day2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.cli.init.InitSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * kubeadm's config print, validate and migrate: output compared with what kubeadm 1.34 prints for
 * the same input (test resources under config/ naming the kubeadm sources they were checked
 * against), and bad input refused with exit code 2 naming the field.
 */
class ConfigCommandsTest {
  @TempDir Path tmp;

  /** A test resource without its leading comment lines (the sources it was checked against). */
  static String kubeadmOutput(String resource) throws IOException {
    try (InputStream in = ConfigCommandsTest.class.getResourceAsStream("/config/" + resource)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return text.lines().dropWhile(l -> l.startsWith("#")).collect(Collectors.joining("\n"))
          + "\n";
    }
  }

  private Path resourceFile(String resource) throws IOException {
    Path file = tmp.resolve(resource);
    try (InputStream in = getClass().getResourceAsStream("/config/" + resource)) {
      Files.write(file, in.readAllBytes());
    }
    return file;
  }

  @ParameterizedTest(name = "config print {0} is kubeadm 1.34''s, line for line")
  @CsvSource({"join-defaults", "reset-defaults", "upgrade-defaults"})
  void printDefaults(String command) throws IOException {
    Node.Result r = NodeLess.run("config", "print", command);
    assertThat(r.code()).as(r.err()).isZero();
    String hostname = InitSession.hostname().trim().toLowerCase(Locale.ROOT);
    assertThat(r.out())
        .isEqualTo(kubeadmOutput(command + "-1.34.yaml").replace("HOSTNAME", hostname));
    assertThat(r.err()).isEmpty();
  }

  @Test
  void printDefaultsTakesNoArguments() {
    Node.Result r = NodeLess.run("config", "print", "reset-defaults", "extra");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Unmatched argument").contains("extra");
    assertThat(r.out()).isEmpty();
  }

  @ParameterizedTest(name = "{0} is valid")
  @CsvSource({
    "v1beta3-example.yaml",
    "migrate-v1beta3-input.yaml",
    "migrate-v1beta3-kubeadm-1.34.yaml"
  })
  void validateSaysOk(String resource) throws IOException {
    Node.Result r =
        NodeLess.run("config", "validate", "--config", resourceFile(resource).toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("ok\n");
  }

  @Test
  void validateReportsEveryProblemOfTheFileAtOnceWithFileLineAndField() throws IOException {
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(
        bad,
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: InitConfiguration
        localAPIEndpoint:
          advertiseAddress: 10.0.0.300
          bindPort: 70000
        nodeRegistration:
          nmae: x
        ---
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        networking:
          serviceSubnet: 10.96.0.0/33
          dnsDomain: Bad_Domain
        kubernetesVersion: v1.29.0
        """);
    Node.Result r = NodeLess.run("config", "validate", "--config", bad.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .contains("6 problems in " + bad)
        .contains(
            bad
                + ":4: InitConfiguration.localAPIEndpoint.advertiseAddress: expected an IPv4 or IPv6"
                + " address literal")
        .contains(
            bad
                + ":7: InitConfiguration.nodeRegistration.nmae: unknown field \"nmae\" (did you mean"
                + " \"name\"?)")
        .contains(bad + ":5: InitConfiguration.localAPIEndpoint.bindPort: invalid value \"70000\"")
        .contains(
            bad
                + ":12: ClusterConfiguration.networking.serviceSubnet: invalid value \"10.96.0.0/33\"")
        .contains(
            bad + ":13: ClusterConfiguration.networking.dnsDomain: invalid value \"Bad_Domain\"")
        .contains(bad + ":14: ClusterConfiguration.kubernetesVersion: invalid value \"v1.29.0\"");
  }

  @Test
  void validateNeedsAReadableYamlFile() throws IOException {
    Node.Result none = NodeLess.run("config", "validate");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("Missing required option: '--config=FILE'");

    Node.Result missing =
        NodeLess.run("config", "validate", "--config", tmp.resolve("nope.yaml").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("cannot read the config file").contains("nope.yaml");

    Path notYaml = tmp.resolve("broken.yaml");
    Files.writeString(notYaml, "apiVersion: kubeadm.k8s.io/v1beta4\nkind: [InitConfiguration\n");
    Node.Result broken = NodeLess.run("config", "validate", "--config", notYaml.toString());
    assertThat(broken.code()).isEqualTo(2);
    assertThat(broken.err()).contains(notYaml + ":").contains("not valid YAML");
  }

  @Test
  void migrateWritesWhatKubeadm134WritesForAV1beta3File() throws IOException {
    Path old = resourceFile("migrate-v1beta3-input.yaml");
    Node.Result r = NodeLess.run("config", "migrate", "--old-config", old.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(kubeadmOutput("migrate-v1beta3-kubeadm-1.34.yaml"));
    assertThat(r.err()).contains("v1beta3 (kind ClusterConfiguration) is deprecated");
  }

  @Test
  void migrateToANewFileWritesItPrivatelyAndMigratingItAgainChangesNothing() throws IOException {
    Path old = resourceFile("migrate-v1beta3-input.yaml");
    Path migrated = tmp.resolve("out/v1beta4.yaml");
    Node.Result r =
        NodeLess.run(
            "config",
            "migrate",
            "--old-config",
            old.toString(),
            "--new-config",
            migrated.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(Files.readString(migrated))
        .isEqualTo(kubeadmOutput("migrate-v1beta3-kubeadm-1.34.yaml"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(migrated)))
        .as("it holds the bootstrap token")
        .isEqualTo("rw-------");

    Node.Result again = NodeLess.run("config", "migrate", "--old-config", migrated.toString());
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).isEqualTo(Files.readString(migrated));
  }

  @Test
  void migrateRefusesABadFileAndWritesNothing() throws IOException {
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(
        bad,
        """
        apiVersion: kubeadm.k8s.io/v1beta3
        kind: ClusterConfiguration
        networking:
          podSubnet: not-a-cidr
        """);
    Path target = tmp.resolve("new.yaml");
    Node.Result r =
        NodeLess.run(
            "config", "migrate", "--old-config", bad.toString(), "--new-config", target.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains(
            bad + ":4: ClusterConfiguration.networking.podSubnet: invalid value \"not-a-cidr\"");
    assertThat(target).doesNotExist();

    Node.Result none = NodeLess.run("config", "migrate");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("Missing required option: '--old-config=FILE'");
  }

  @Test
  void migrateSaysWhenTheNewFileCannotBeWritten() throws IOException {
    Path old = resourceFile("migrate-v1beta3-input.yaml");
    Path aFile = Files.writeString(tmp.resolve("a-file"), "x");
    Node.Result r =
        NodeLess.run(
            "config",
            "migrate",
            "--old-config",
            old.toString(),
            "--new-config",
            aFile.resolve("new.yaml").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains(
            "failed to write the new configuration to the file \"" + aFile.resolve("new.yaml"));
  }
}
