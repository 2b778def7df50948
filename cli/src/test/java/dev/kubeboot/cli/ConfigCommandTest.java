package dev.kubeboot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConfigCommandTest {

  @Test
  void printInitDefaultsPrintsWhatKubeadm134PrintsWithTokensCriSocketAndItsVersion()
      throws IOException {
    var out = new StringWriter();
    int code =
        Main.run(
            new PrintWriter(out),
            new PrintWriter(new StringWriter()),
            "config",
            "print",
            "init-defaults");

    String kubeadm;
    try (InputStream in = getClass().getResourceAsStream("/config/init-defaults-1.34.yaml")) {
      kubeadm = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(code).isZero();
    assertThat(out.toString())
        .isEqualTo(kubeadm.substring(0, kubeadm.indexOf("---\napiVersion: kubeproxy")))
        .contains("token: abcdef.0123456789abcdef")
        .contains("criSocket: unix:///var/run/containerd/containerd.sock")
        .contains("imagePullSerial: true")
        .contains("kubernetesVersion: 1.34.0");
  }
}
