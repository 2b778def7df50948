package dev.kubeboot.cli.cluster;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.pki.PublicKeyPins;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * kubeadm's join commands (cmd/util/join.go) for the cluster of a kubeconfig: the API server's
 * host:port, a token, and one {@code --discovery-token-ca-cert-hash} per CA certificate the
 * kubeconfig trusts. Lines are continued with a backslash, a newline and a tab.
 */
public final class JoinCommands {
  /** What kubeadm prints in place of a value it was told not to print. */
  public static final String WITHHELD = "<value withheld>";

  private final String hostPort;
  private final List<String> pins;

  private JoinCommands(String hostPort, List<String> pins) {
    this.hostPort = hostPort;
    this.pins = List.copyOf(pins);
  }

  public static JoinCommands of(KubeconfigCluster cluster) throws KubebootException {
    List<String> pins = new ArrayList<>();
    for (X509Certificate ca : cluster.caCertificates()) {
      pins.add(PublicKeyPins.sha256(ca));
    }
    return new JoinCommands(cluster.hostPort(), pins);
  }

  public List<String> pins() {
    return pins;
  }

  /**
   * {@code kubeadm join <host:port> --token T \ (newline, tab) --discovery-token-ca-cert-hash H }.
   */
  public String worker(String token) {
    return command("kubeadm", token);
  }

  /**
   * {@code <tool> join <host:port> --token T \ (newline, tab) --discovery-token-ca-cert-hash H }.
   */
  private String command(String tool, String token) {
    StringBuilder out = new StringBuilder();
    out.append(tool)
        .append(" join ")
        .append(hostPort)
        .append(" --token ")
        .append(token)
        .append(" \\\n\t");
    for (String pin : pins) {
      out.append("--discovery-token-ca-cert-hash ").append(pin).append(' ');
    }
    return out.toString();
  }

  /**
   * kubeboot's control-plane join: kubeadm's command and {@code --control-plane}, with {@code
   * --certificate-key K} if known, run by kubeboot (a worker, which needs a kubelet, joins with
   * kubeadm).
   */
  public String controlPlane(String token, Optional<String> certificateKey) {
    StringBuilder out = new StringBuilder(command("kubeboot", token));
    out.append("\\\n\t--control-plane ");
    certificateKey.ifPresent(k -> out.append("--certificate-key ").append(k));
    return out.toString();
  }

  /** One line, as {@code token create --print-join-command} prints it. */
  public static String oneLine(String command) {
    return command.replace("\\\n", "").replace("\t", "");
  }
}
