package dev.kubeboot.runner.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The node's rules for kubeboot's pod network, as kube-proxy's KUBE-FORWARD and flannel's
 * FLANNEL-FWD do for theirs: traffic from and to the pod CIDR is accepted in FORWARD (Docker sets
 * that chain's policy to DROP, and with br_netfilter even pod-to-pod traffic on the bridge passes
 * it), and traffic from pods to anywhere outside the pod CIDR is masqueraded. Two chains, {@value
 * #FORWARD_CHAIN} and {@value #NAT_CHAIN}, rewritten as a whole whenever the CIDRs are set, each
 * with one jump from the built-in chain. Node-wide and set once per runner rather than per pod: the
 * plugins' per-pod iptables calls would cost 100 ms or more each.
 */
public final class NodeFirewall {
  public static final String FORWARD_CHAIN = "KUBEBOOT-FORWARD";
  public static final String NAT_CHAIN = "KUBEBOOT-POSTROUTING";
  static final String COMMENT = "kubeboot pod network";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private NodeFirewall() {}

  /**
   * Sets the rules for {@code podCidrs} (IPv4 through iptables, IPv6 through ip6tables).
   *
   * @throws IOException iptables is missing or refused the rules
   */
  public static void ensure(List<Cidr> podCidrs) throws IOException, InterruptedException {
    for (boolean v4 : new boolean[] {true, false}) {
      List<Cidr> family = podCidrs.stream().filter(c -> c.isIpv4() == v4).toList();
      if (family.isEmpty()) {
        continue;
      }
      String tool = v4 ? "iptables" : "ip6tables";
      StringBuilder rules = new StringBuilder("*filter\n:" + FORWARD_CHAIN + " - [0:0]\n");
      for (Cidr c : family) {
        rules.append(rule(FORWARD_CHAIN, "-s " + c, "ACCEPT"));
        rules.append(rule(FORWARD_CHAIN, "-d " + c, "ACCEPT"));
      }
      rules.append("COMMIT\n*nat\n:" + NAT_CHAIN + " - [0:0]\n");
      for (Cidr c : family) {
        rules.append(rule(NAT_CHAIN, "-s " + c + " ! -d " + c, "MASQUERADE"));
      }
      rules.append("COMMIT\n");
      run(List.of(tool + "-restore", "-w", "--noflush"), rules.toString(), true);
      jump(tool, "filter", "FORWARD", FORWARD_CHAIN, true);
      jump(tool, "nat", "POSTROUTING", NAT_CHAIN, false);
    }
  }

  /** Removes both chains and their jumps (for IPv4 and IPv6); absent ones are fine. */
  public static void remove() throws IOException, InterruptedException {
    for (String tool : List.of("iptables", "ip6tables")) {
      for (String[] t :
          new String[][] {
            {"filter", "FORWARD", FORWARD_CHAIN}, {"nat", "POSTROUTING", NAT_CHAIN}
          }) {
        List<String> jump = jumpArgs(tool, t[0], "-D", t[1], t[2]);
        while (run(jump, "", false)) {
          // Remove every copy.
        }
        run(List.of(tool, "-w", "-t", t[0], "-F", t[2]), "", false);
        run(List.of(tool, "-w", "-t", t[0], "-X", t[2]), "", false);
      }
    }
  }

  private static String rule(String chain, String match, String target) {
    return "-A "
        + chain
        + " "
        + match
        + " -m comment --comment \""
        + COMMENT
        + "\" -j "
        + target
        + "\n";
  }

  private static void jump(String tool, String table, String from, String to, boolean first)
      throws IOException, InterruptedException {
    if (run(jumpArgs(tool, table, "-C", from, to), "", false)) {
      return;
    }
    List<String> add = new ArrayList<>(List.of(tool, "-w", "-t", table));
    if (first) {
      add.addAll(List.of("-I", from, "1"));
    } else {
      add.addAll(List.of("-A", from));
    }
    add.addAll(List.of("-m", "comment", "--comment", COMMENT, "-j", to));
    run(add, "", true);
  }

  private static List<String> jumpArgs(
      String tool, String table, String op, String from, String to) {
    return List.of(
        tool, "-w", "-t", table, op, from, "-m", "comment", "--comment", COMMENT, "-j", to);
  }

  /** Runs a command; returns whether it exited 0, or throws when it must succeed and did not. */
  private static boolean run(List<String> command, String stdin, boolean mustSucceed)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("PATH", CniPlugins.SYSTEM_PATH);
    Process p;
    try {
      p = builder.start();
    } catch (IOException e) {
      throw new IOException(
          "cannot run " + command.get(0) + " (install iptables): " + e.getMessage(), e);
    }
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " did not finish within " + TIMEOUT);
    }
    if (p.exitValue() != 0 && mustSucceed) {
      throw new IOException(
          String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + output);
    }
    return p.exitValue() == 0;
  }
}
