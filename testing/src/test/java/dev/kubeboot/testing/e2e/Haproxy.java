package dev.kubeboot.testing.e2e;

import dev.kubeboot.testing.e2e.E2eSupport.Result;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Debian's haproxy as the control plane's load balancer, in the cluster's test namespace, with the
 * configuration kubeadm's HA guide gives: a TCP frontend on {@code <lb>:6443}, the nodes' API
 * servers as backends, each health-checked over HTTPS on /livez (certificate not verified, as the
 * guide's {@code check verify none}). Its stats page ({@code <lb>:8404/stats}) tells which backends
 * it holds for up.
 */
final class Haproxy implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/sbin/haproxy");
  private static final int STATS_PORT = 8404;

  private final NetnsCluster cluster;
  private final Process process;
  private final Path log;

  private Haproxy(NetnsCluster cluster, Process process, Path log) {
    this.cluster = cluster;
    this.process = process;
    this.log = log;
  }

  /** Starts haproxy in front of every node of the cluster; its files go to {@code dir}. */
  static Haproxy start(NetnsCluster cluster, Path dir) throws Exception {
    Files.createDirectories(dir);
    Path config = Files.writeString(dir.resolve("haproxy.cfg"), config(cluster));
    Path log = dir.resolve("haproxy.log");
    Process process =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                cluster.lbNamespace(),
                BINARY.toString(),
                "-db",
                "-f",
                config.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    var haproxy = new Haproxy(cluster, process, log);
    E2eSupport.waitFor(
        "haproxy's stats page on " + cluster.lbAddress() + ":" + STATS_PORT,
        Duration.ofSeconds(20),
        () -> {
          if (!process.isAlive()) {
            throw new AssertionError(
                "haproxy exited with " + process.exitValue() + ": " + Files.readString(log));
          }
          return !haproxy.backends().isEmpty();
        });
    return haproxy;
  }

  static String config(NetnsCluster cluster) {
    var servers = new StringBuilder();
    for (NetnsNode node : cluster.nodes()) {
      servers.append(
          "    server %s %s:6443 check check-ssl verify none\n"
              .formatted(node.name(), node.address()));
    }
    return """
        global
            log stdout format raw local0 info
        defaults
            log global
            mode tcp
            option tcplog
            timeout connect 5s
            timeout client 60s
            timeout server 60s
            default-server inter 1s fall 2 rise 2
        frontend apiserver
            bind %1$s:6443
            default_backend apiserverbackend
        backend apiserverbackend
            option httpchk
            http-check connect ssl
            http-check send meth GET uri /livez
            http-check expect status 200
            balance roundrobin
        %2$s
        frontend stats
            mode http
            bind %1$s:%3$d
            stats enable
            stats uri /stats
            stats refresh 1s
        """
        .formatted(cluster.lbAddress(), servers.toString().stripTrailing(), STATS_PORT);
  }

  /** The backends' status as haproxy holds it: node name to UP, DOWN, "UP 1/2"... */
  Map<String, String> backends() throws Exception {
    Result csv =
        cluster.inLb(
            Duration.ofSeconds(10),
            "curl",
            "-sS",
            "--max-time",
            "5",
            "http://" + cluster.lbAddress() + ":" + STATS_PORT + "/stats;csv");
    var states = new LinkedHashMap<String, String>();
    if (csv.code() != 0 || !csv.out().startsWith("# ")) {
      return states;
    }
    List<String> lines = csv.out().lines().toList();
    List<String> header = Arrays.asList(lines.getFirst().substring(2).split(","));
    int proxy = header.indexOf("pxname");
    int server = header.indexOf("svname");
    int status = header.indexOf("status");
    for (String line : lines.subList(1, lines.size())) {
      String[] fields = line.split(",", -1);
      if (fields.length > status
          && fields[proxy].equals("apiserverbackend")
          && !fields[server].equals("BACKEND")) {
        states.put(fields[server], fields[status]);
      }
    }
    return states;
  }

  Path log() {
    return log;
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
