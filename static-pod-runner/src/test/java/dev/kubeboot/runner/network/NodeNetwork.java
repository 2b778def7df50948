package dev.kubeboot.runner.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The node side of the pod network as the tests see it (ip, iptables, host-local's store), and the
 * clean-up of what kubeboot's network leaves on the node: the bridge, the node's firewall chains,
 * the portmap plugin's chains, and a node address the test owns.
 *
 * <p>The "node IP" is an address of 198.18.0.0/15 (reserved for benchmarks) on an interface the
 * test makes: it is local, so traffic to it never leaves this machine.
 */
public final class NodeNetwork implements AutoCloseable {
  public static final String POD_CIDR = "10.244.0.0/24";
  public static final Path HOST_LOCAL_STORE = Path.of("/var/lib/cni/networks/kubeboot");

  private final List<String> interfaces = new ArrayList<>();

  /** Removes what an aborted earlier run may have left, so a test starts from a clean node. */
  public NodeNetwork() throws IOException {
    if (!vethsOnBridge().isEmpty()) {
      throw new IllegalStateException(
          "the bridge "
              + BridgeNetwork.BRIDGE
              + " still has pods attached ("
              + vethsOnBridge()
              + "): another test or runner uses it");
    }
    cleanNode();
  }

  /** A fresh local address on an interface this fixture removes again. */
  public String nodeIp() throws IOException {
    byte[] b = new byte[2];
    ThreadLocalRandom.current().nextBytes(b);
    String name = "kbnode" + HexFormat.of().formatHex(b);
    String ip = "198.18." + (b[0] & 0xff) + "." + (1 + (b[1] & 0x7f));
    // A veth pair rather than a dummy link: not every kernel here has the dummy module.
    run("ip", "link", "add", name, "type", "veth", "peer", "name", name + "p");
    interfaces.add(name);
    run("ip", "addr", "add", ip + "/32", "dev", name);
    run("ip", "link", "set", name, "up");
    run("ip", "link", "set", name + "p", "up");
    return ip;
  }

  /** The host-side veths plugged into kubeboot's bridge. */
  public static List<String> vethsOnBridge() throws IOException {
    if (!Files.exists(Path.of("/sys/class/net", BridgeNetwork.BRIDGE))) {
      return List.of();
    }
    String out = run("ip", "-o", "link", "show", "master", BridgeNetwork.BRIDGE);
    List<String> names = new ArrayList<>();
    for (String line : out.lines().toList()) {
      String[] parts = line.split(":\\s+");
      if (parts.length > 1) {
        names.add(parts[1].replaceAll("@.*", ""));
      }
    }
    return names;
  }

  /** The IPs host-local has handed out on kubeboot's network (one file each). */
  public static List<String> allocatedIps() throws IOException {
    try (Stream<Path> files = Files.list(HOST_LOCAL_STORE)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> Cidr.ip(n).isPresent())
          .sorted()
          .toList();
    } catch (NoSuchFileException e) {
      return List.of();
    }
  }

  /** The HTTP status of a GET (0 when nothing answered), through curl. */
  public static int httpStatus(String url) throws IOException {
    String out =
        run(true, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5", url);
    return Integer.parseInt(out.strip());
  }

  /** Whether any iptables rule of the given table mentions {@code text}. */
  public static boolean iptablesMentions(String table, String text) throws IOException {
    return run("iptables", "-w", "-t", table, "-S").contains(text);
  }

  @Override
  public void close() throws IOException {
    for (String name : interfaces) {
      run(true, "ip", "link", "del", name);
    }
    cleanNode();
  }

  /** The bridge (when no pod uses it), the node's chains, and portmap's chains when unused. */
  private static void cleanNode() throws IOException {
    if (vethsOnBridge().isEmpty()) {
      run(true, "ip", "link", "del", BridgeNetwork.BRIDGE);
    }
    try {
      NodeFirewall.remove();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    String nat = run("iptables", "-w", "-t", "nat", "-S");
    if (!nat.contains("-N CNI-DN-")) {
      for (String[] jump :
          new String[][] {
            {"PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "CNI-HOSTPORT-DNAT"},
            {"OUTPUT", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "CNI-HOSTPORT-DNAT"},
            {
              "POSTROUTING",
              "-m",
              "comment",
              "--comment",
              "CNI portfwd requiring masquerade",
              "-j",
              "CNI-HOSTPORT-MASQ"
            }
          }) {
        List<String> command = new ArrayList<>(List.of("iptables", "-w", "-t", "nat", "-D"));
        command.addAll(List.of(jump));
        run(true, command.toArray(String[]::new));
      }
      for (String chain :
          List.of("CNI-HOSTPORT-DNAT", "CNI-HOSTPORT-MASQ", "CNI-HOSTPORT-SETMARK")) {
        run(true, "iptables", "-w", "-t", "nat", "-F", chain);
        run(true, "iptables", "-w", "-t", "nat", "-X", chain);
      }
    }
  }

  public static String run(String... command) throws IOException {
    return run(false, command);
  }

  private static String run(boolean mayFail, String... command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0 && !mayFail) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }
}
