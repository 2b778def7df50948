package dev.kubeboot.testing.e2e;

import dev.kubeboot.testing.e2e.E2eSupport.Result;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Several "machines" on this one: a test network namespace holding a bridge (the load balancer's
 * side, {@link #lbAddress}), and one namespace per node with a veth to that bridge and loopback up.
 * A node's runner, etcd and API server use the default ports inside its namespace without clashing
 * with the host or another node. The addresses ({@code 10.213.<subnet>.0/24}) exist only inside
 * these namespaces: the host's own network is never touched and nothing outside this machine is
 * addressed.
 *
 * <p>Names are {@code kbha-<pid of this JVM>-<role>}: {@link #create} first removes what a killed
 * earlier run left (namespaces of this prefix whose JVM is gone, with every process in them);
 * {@link #close} kills every process in this cluster's namespaces and deletes them, also after a
 * failed test.
 *
 * <pre>{@code
 * try (var cluster = NetnsCluster.create(work, 3)) {
 *   NetnsNode n1 = cluster.node(1);                 // 10.213.0.11, namespace kbha-<pid>-n1
 *   n1.kubeboot(Duration.ofMinutes(5), "init", "--config", ...);
 *   cluster.inLb(Duration.ofSeconds(30), "kubectl", ...);   // from the load balancer's side
 * }
 * }</pre>
 */
final class NetnsCluster implements AutoCloseable {
  static final String PREFIX = "kbha-";
  private static final Pattern OURS = Pattern.compile("^" + PREFIX + "(\\d+)-\\S+");
  private static final Duration IP = Duration.ofSeconds(30);

  private final Path work;
  private final String subnet;
  private final String lbNamespace;
  private final List<NetnsNode> nodes = new ArrayList<>();

  private NetnsCluster(Path work, String subnet, String lbNamespace) {
    this.work = work;
    this.subnet = subnet;
    this.lbNamespace = lbNamespace;
  }

  /**
   * A cluster of {@code count} nodes on 10.213.0.0/24 with their directories under {@code work}.
   */
  static NetnsCluster create(Path work, int count) throws Exception {
    return create(work, count, 0);
  }

  /**
   * @param subnet the third octet of the range: two clusters of one JVM need different ones only
   *     for their namespace names, their networks are separate anyway
   */
  static NetnsCluster create(Path work, int count, int subnet) throws Exception {
    removeLeftovers();
    String base = PREFIX + ProcessHandle.current().pid() + "-" + subnet;
    var cluster = new NetnsCluster(work, "10.213." + subnet, base + "-lb");
    try {
      cluster.build(base, count);
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  private void build(String base, int count) throws Exception {
    ip("netns", "add", lbNamespace);
    ip("-n", lbNamespace, "link", "set", "lo", "up");
    ip("-n", lbNamespace, "link", "add", "br0", "type", "bridge");
    ip("-n", lbNamespace, "addr", "add", lbAddress() + "/24", "dev", "br0");
    ip("-n", lbNamespace, "link", "set", "br0", "up");
    for (int i = 1; i <= count; i++) {
      String namespace = base + "-n" + i;
      String address = subnet + "." + (10 + i);
      ip("netns", "add", namespace);
      nodes.add(new NetnsNode(i, namespace, address, work.resolve("node" + i)));
      String peer = "veth-n" + i;
      // Made inside the namespaces: the host's own links never change.
      ip(
          "-n",
          lbNamespace,
          "link",
          "add",
          peer,
          "type",
          "veth",
          "peer",
          "name",
          "eth0",
          "netns",
          namespace);
      ip("-n", lbNamespace, "link", "set", peer, "master", "br0", "up");
      ip("-n", namespace, "link", "set", "lo", "up");
      ip("-n", namespace, "addr", "add", address + "/24", "dev", "eth0");
      ip("-n", namespace, "link", "set", "eth0", "up");
    }
  }

  /** The load balancer's address on the bridge, in the test namespace. */
  String lbAddress() {
    return subnet + ".1";
  }

  /** The control-plane endpoint behind the load balancer's address: {@code <lb>:6443}. */
  String apiEndpoint() {
    return lbAddress() + ":6443";
  }

  /** The test namespace (bridge and load balancer). */
  String lbNamespace() {
    return lbNamespace;
  }

  /** Node {@code i}, counted from 1. */
  NetnsNode node(int i) {
    return nodes.get(i - 1);
  }

  List<NetnsNode> nodes() {
    return List.copyOf(nodes);
  }

  /** Runs a command in the test namespace (e.g. kubectl through the load balancer). */
  Result inLb(Duration timeout, String... command) throws Exception {
    return exec(lbNamespace, timeout, Map.of(), command);
  }

  /** Kills every process of this cluster's namespaces and deletes them; then the node dirs. */
  @Override
  public void close() throws Exception {
    for (NetnsNode node : nodes) {
      remove(node.namespace());
    }
    remove(lbNamespace);
    deleteTree(work);
  }

  static Result exec(String namespace, Duration timeout, Map<String, String> env, String... command)
      throws Exception {
    var full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    full.addAll(List.of(command));
    return E2eSupport.run(timeout, env, full.toArray(String[]::new));
  }

  /** SIGKILLs every process in the namespace; returns how many there were. */
  static int killAll(String namespace) throws Exception {
    int killed = 0;
    // A process may fork while we kill: repeat until the namespace is empty.
    for (int round = 0; round < 20; round++) {
      List<Long> pids = pids(namespace);
      if (pids.isEmpty()) {
        return killed;
      }
      for (long pid : pids) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        killed++;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("processes keep running in namespace " + namespace);
  }

  static List<Long> pids(String namespace) throws Exception {
    Result pids = E2eSupport.run(IP, Map.of(), "ip", "netns", "pids", namespace);
    if (pids.code() != 0) {
      return List.of();
    }
    return pids.out()
        .lines()
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .map(Long::parseLong)
        .toList();
  }

  private static void removeLeftovers() throws Exception {
    Result list = E2eSupport.run(IP, Map.of(), "ip", "netns", "list");
    for (String line : list.out().lines().toList()) {
      Matcher m = OURS.matcher(line);
      if (m.find() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
        remove(m.group().strip());
      }
    }
  }

  private static void remove(String namespace) throws Exception {
    if (!Files.exists(Path.of("/run/netns", namespace))) {
      return;
    }
    killAll(namespace);
    Result del = E2eSupport.run(IP, Map.of(), "ip", "netns", "del", namespace);
    if (del.code() != 0) {
      throw new AssertionError("ip netns del " + namespace + ": " + del.out());
    }
  }

  private static void ip(String... args) throws Exception {
    var command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    Result result = E2eSupport.run(IP, Map.of(), command.toArray(String[]::new));
    if (result.code() != 0) {
      throw new AssertionError(String.join(" ", command) + ": " + result.out());
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
