package dev.kubeboot.cli.day2;

import static dev.kubeboot.cli.CliRun.kubeboot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.cli.CliRun;
import dev.kubeboot.cli.output.PythonJson;
import dev.kubeboot.cli.token.BootstrapTokenSecrets;
import dev.kubeboot.cli.token.BootstrapTokenSecrets.StoredToken;
import dev.kubeboot.cli.token.BootstrapTokenString;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** `kubeboot token` against fabric8's in-memory API server. */
class TokenCommandTest {
  @TempDir Path dir;
  private KubernetesMockServer server;
  private KubernetesClient client;
  private Path kubeconfig;

  @BeforeEach
  void start() throws Exception {
    server = CrudApiServer.start();
    client = server.createClient();
    kubeconfig = dir.resolve("admin.conf");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - cluster:
            server: %s
          name: k
        contexts:
        - context:
            cluster: k
            user: u
          name: c
        current-context: c
        users:
        - name: u
          user: {}
        """
            .formatted(client.getMasterUrl().toString().replaceAll("/$", "")));
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  @Test
  void createListDeleteRoundTrips() {
    CliRun create =
        kubeboot(
            "token",
            "create",
            "abcdef.0123456789abcdef",
            "--kubeconfig",
            kubeconfig.toString(),
            "--ttl",
            "0",
            "--usages",
            "authentication",
            "--description",
            "ci");
    assertThat(create.code()).as(create.err()).isZero();
    assertThat(create.out()).isEqualTo("abcdef.0123456789abcdef\n");
    var stored =
        BootstrapTokenSecrets.fromSecret(
            client.secrets().inNamespace("kube-system").withName("bootstrap-token-abcdef").get());
    assertThat(stored.expires()).isEmpty();
    assertThat(stored.usages()).containsExactly("authentication");

    CliRun list = kubeboot("token", "list", "--kubernetes-dir", dir.toString());
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.out())
        .isEqualTo(
            "TOKEN                     TTL         EXPIRES   USAGES           DESCRIPTION   EXTRA GROUPS\n"
                + "abcdef.0123456789abcdef   <forever>   <never>   authentication   ci            system:bootstrappers:kubeadm:default-node-token\n");

    CliRun exists =
        kubeboot(
            "token", "create", "abcdef.0123456789abcdef", "--kubeconfig", kubeconfig.toString());
    assertThat(exists.code()).isEqualTo(1);
    assertThat(exists.err()).contains("a token with id \"abcdef\" already exists");

    CliRun delete =
        kubeboot(
            "token", "delete", "abcdef.0123456789abcdef", "--kubeconfig", kubeconfig.toString());
    assertThat(delete.code()).as(delete.err()).isZero();
    assertThat(delete.out()).isEqualTo("bootstrap token \"abcdef\" deleted\n");
    CliRun gone = kubeboot("token", "delete", "abcdef", "--kubeconfig", kubeconfig.toString());
    assertThat(gone.code()).isEqualTo(1);
    assertThat(gone.err()).contains("failed to delete bootstrap token \"abcdef\"");
  }

  @Test
  void listSkipsOtherSecretsAndReportsBrokenTokensOnStderr() {
    client
        .secrets()
        .inNamespace("kube-system")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("bootstrap-token-zzzzzz")
                .endMetadata()
                .withType("bootstrap.kubernetes.io/token")
                .addToStringData("token-id", "yyyyyy")
                .build())
        .create();
    client
        .secrets()
        .inNamespace("kube-system")
        .resource(new SecretBuilder().withNewMetadata().withName("other").endMetadata().build())
        .create();
    CliRun list = kubeboot("token", "list", "--kubeconfig", kubeconfig.toString());
    assertThat(list.code()).isZero();
    assertThat(list.out()).hasLineCount(1);
    assertThat(list.err()).contains("bootstrap-token-zzzzzz");
  }

  @ParameterizedTest(name = "{0} is a usage error")
  @CsvSource(
      delimiter = '|',
      value = {
        "a malformed token|create ABC.0123456789abcdef",
        "a bad ttl|create --ttl forever",
        "an unknown usage|create --usages signing,root",
        "a group outside system:bootstrappers|create --groups system:masters",
        "a bad id to delete|delete abc",
        "an unknown format|list -o table"
      })
  void badInputIsAUsageErrorBeforeTheApiIsAsked(String what, String args) {
    List<String> argv = new java.util.ArrayList<>(List.of("token"));
    argv.addAll(List.of(args.split(" ")));
    argv.addAll(List.of("--kubeconfig", dir.resolve("absent.conf").toString()));
    CliRun run = kubeboot(argv.toArray(String[]::new));
    assertThat(run.code()).as(run.err()).isEqualTo(2);
  }

  @Test
  void generatePrintsAFreshToken() {
    CliRun run = kubeboot("token", "generate");
    assertThat(run.out().strip()).matches(BootstrapTokenString.TOKEN.pattern());
  }

  @Test
  void jsonAndYamlAreKubeadmsOutputApi() {
    var token =
        new StoredToken(
            BootstrapTokenString.parse("abcdef.0123456789abcdef").orElseThrow(),
            "d",
            Optional.of(Instant.parse("2030-01-02T03:04:05Z")),
            List.of("authentication", "signing"),
            List.of("system:bootstrappers:kubeadm:default-node-token"));
    assertThat(TokenListing.json(List.of(token)))
        .isEqualTo(
            """
            {
                "kind": "BootstrapToken",
                "apiVersion": "output.kubeadm.k8s.io/v1alpha3",
                "token": "abcdef.0123456789abcdef",
                "description": "d",
                "expires": "2030-01-02T03:04:05Z",
                "usages": [
                    "authentication",
                    "signing"
                ],
                "groups": [
                    "system:bootstrappers:kubeadm:default-node-token"
                ]
            }
            """);
    assertThat(TokenListing.yaml(List.of(token)))
        .isEqualTo(
            """
            apiVersion: output.kubeadm.k8s.io/v1alpha3
            description: d
            expires: "2030-01-02T03:04:05Z"
            groups:
            - system:bootstrappers:kubeadm:default-node-token
            kind: BootstrapToken
            token: abcdef.0123456789abcdef
            usages:
            - authentication
            - signing
            """);
  }

  @Test
  void jsonEscapesAnyDescriptionSoAJsonParserReadsItBack() throws Exception {
    String description = "node \"w-1\" C:\\keys\nsecond line, caf\u00e9 <\u65e5>";
    var token =
        new StoredToken(
            BootstrapTokenString.parse("abcdef.0123456789abcdef").orElseThrow(),
            description,
            Optional.of(Instant.parse("2030-01-02T03:04:05Z")),
            List.of("authentication"),
            List.of("system:bootstrappers:a", "system:bootstrappers:b"));
    var other =
        new StoredToken(
            BootstrapTokenString.parse("ghijkl.0123456789abcdef").orElseThrow(),
            "",
            Optional.empty(),
            List.of(),
            List.of());

    String json = TokenListing.json(List.of(token, other));

    assertThat(json)
        .contains(
            "\"description\": \"node \\\"w-1\\\" C:\\\\keys\\nsecond line, caf\u00e9"
                + " \\u003c\u65e5\\u003e\",\n");
    assertThat(PythonJson.objects(json))
        .containsExactly(
            Map.of(
                "kind", "BootstrapToken",
                "apiVersion", "output.kubeadm.k8s.io/v1alpha3",
                "token", "abcdef.0123456789abcdef",
                "description", description,
                "expires", "2030-01-02T03:04:05Z",
                "usages", "authentication",
                "groups", "system:bootstrappers:a\nsystem:bootstrappers:b"),
            Map.of(
                "kind", "BootstrapToken",
                "apiVersion", "output.kubeadm.k8s.io/v1alpha3",
                "token", "ghijkl.0123456789abcdef"));
  }

  @ParameterizedTest(name = "{0} left is shown as {1}")
  @CsvSource({
    "PT0.5S, 0s",
    "PT59S, 59s",
    "PT61S, 1m",
    "PT2H, 2h",
    "PT48H, 2d",
    "PT-0.5S, 0s",
    "PT-3S, <invalid>"
  })
  void ttlIsApimachinerysShortHumanDuration(Duration left, String shown) {
    assertThat(KubeadmText.shortHumanDuration(left)).isEqualTo(shown);
  }
}
