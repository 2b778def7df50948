package dev.kubeboot.cli.join;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad flags and config values: exit 2 naming the flag or field, before any network or file. */
class JoinUsageTest {
  private static final String TOKEN = "abcdef.0123456789abcdef";
  private static final String PIN = "sha256:" + "0a".repeat(32);
  private static final String KEY = "1f".repeat(32);

  @TempDir Path dir;

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "a worker join is not kubeboot's",
            List.of("10.0.0.1:6443", "--token", TOKEN, "--discovery-token-ca-cert-hash", PIN),
            "joins control-plane nodes only"),
        Arguments.of(
            "no endpoint and no discovery file",
            List.of("--control-plane", "--token", TOKEN),
            "needs the cluster's API server endpoint"),
        Arguments.of(
            "an endpoint without a port",
            List.of("10.0.0.1", "--control-plane", "--token", TOKEN),
            "\"10.0.0.1\" is not host:port"),
        Arguments.of(
            "no token",
            List.of("10.0.0.1:6443", "--control-plane", "--discovery-token-ca-cert-hash", PIN),
            "--token is required"),
        Arguments.of(
            "a malformed token",
            List.of("10.0.0.1:6443", "--control-plane", "--token", "abc"),
            "--token: \"abc\" is not a bootstrap token"),
        Arguments.of(
            "a malformed CA hash",
            List.of(
                "10.0.0.1:6443",
                "--control-plane",
                "--token",
                TOKEN,
                "--discovery-token-ca-cert-hash",
                "md5:00"),
            "--discovery-token-ca-cert-hash: \"md5:00\" is not a public key pin"),
        Arguments.of(
            "token discovery without a CA hash",
            List.of("10.0.0.1:6443", "--control-plane", "--token", TOKEN),
            "--discovery-token-ca-cert-hash is required"),
        Arguments.of(
            "a malformed certificate key",
            List.of(
                "10.0.0.1:6443",
                "--control-plane",
                "--token",
                TOKEN,
                "--discovery-token-ca-cert-hash",
                PIN,
                "--certificate-key",
                "xyz"),
            "--certificate-key must be 64 hexadecimal characters"),
        Arguments.of(
            "a bind port out of range",
            List.of(
                "10.0.0.1:6443",
                "--control-plane",
                "--token",
                TOKEN,
                "--discovery-token-ca-cert-hash",
                PIN,
                "--apiserver-bind-port",
                "70000"),
            "--apiserver-bind-port: 70000 is not a port"),
        Arguments.of(
            "an unknown phase to skip",
            List.of(
                "10.0.0.1:6443",
                "--control-plane",
                "--token",
                TOKEN,
                "--discovery-token-ca-cert-hash",
                PIN,
                "--skip-phases",
                "kubelet-start"),
            "unknown phase kubelet-start"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void is_a_usage_error_naming_the_flag(String name, List<String> flags, String message) {
    List<String> args = new ArrayList<>(List.of("join"));
    args.addAll(flags);
    args.addAll(List.of("--kubernetes-dir", dir.resolve("k").toString()));
    var out = new StringWriter();
    var err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
    assertThat(code).as(out + "\n" + err).isEqualTo(2);
    assertThat(err.toString()).contains(message);
    assertThat(dir.resolve("k")).doesNotExist();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configCases")
  void a_bad_config_value_names_file_line_and_field(String name, String yaml, String message)
      throws Exception {
    Path config = dir.resolve("join.yaml");
    Files.writeString(config, yaml);
    var out = new StringWriter();
    var err = new StringWriter();
    int code =
        Main.run(
            new PrintWriter(out),
            new PrintWriter(err),
            "join",
            "--config",
            config.toString(),
            "--kubernetes-dir",
            dir.resolve("k").toString());
    assertThat(code).as(out + "\n" + err).isEqualTo(2);
    assertThat(err.toString()).contains(message.replace("FILE", config.toString()));
    assertThat(dir.resolve("k")).doesNotExist();
  }

  static Stream<Arguments> configCases() {
    String head = "apiVersion: kubeadm.k8s.io/v1beta4\nkind: JoinConfiguration\n";
    return Stream.of(
        Arguments.of(
            "a misspelt field",
            head + "controlPlane:\n  certificatKey: abc\n",
            "FILE:4: JoinConfiguration.controlPlane.certificatKey"),
        Arguments.of(
            "an advertise address that is no IP",
            head + "controlPlane:\n  localAPIEndpoint:\n    advertiseAddress: node-1\n",
            "FILE:5: JoinConfiguration.controlPlane.localAPIEndpoint.advertiseAddress"),
        Arguments.of(
            "a bad CA hash in the file",
            head
                + "controlPlane: {}\ndiscovery:\n  bootstrapToken:\n    token: "
                + TOKEN
                + "\n    apiServerEndpoint: 10.0.0.1:6443\n    caCertHashes: [\"sha256:zz\"]\n",
            "JoinConfiguration.discovery.bootstrapToken.caCertHashes: \"sha256:zz\""),
        Arguments.of(
            "a bad certificate key in the file",
            head
                + "controlPlane:\n  certificateKey: short\ndiscovery:\n  bootstrapToken:\n"
                + "    token: "
                + TOKEN
                + "\n    apiServerEndpoint: 10.0.0.1:6443\n    unsafeSkipCAVerification: true\n",
            "JoinConfiguration.controlPlane.certificateKey must be 64 hexadecimal characters"));
  }
}
