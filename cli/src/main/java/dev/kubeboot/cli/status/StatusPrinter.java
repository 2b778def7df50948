package dev.kubeboot.cli.status;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.kubeboot.cli.etcd.EtcdClusterReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** Renders a {@link StatusReport} as a table (kubectl's look), JSON or YAML. */
public final class StatusPrinter {
  private StatusPrinter() {}

  public static void print(StatusReport report, String format, PrintWriter out) throws IOException {
    switch (format) {
      case "json" ->
          out.println(JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(asMap(report)));
      case "yaml" -> {
        var options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        // Equal values (two empty lists are one object in Java) are written out each time, never
        // as &id001/*id001: YAML readers other than SnakeYAML, and people, trip on anchors.
        options.setDereferenceAliases(true);
        out.print(new Yaml(options).dump(asMap(report)));
      }
      default -> table(report, out);
    }
    out.flush();
  }

  static void table(StatusReport r, PrintWriter out) {
    var rows = new ArrayList<List<String>>();
    rows.add(
        List.of(
            "COMPONENT",
            "POD",
            "PHASE",
            "READY",
            "RESTARTS",
            "AGE",
            "LAST RESTART",
            "HEALTH",
            "LATENCY"));
    for (var c : r.components()) {
      rows.add(
          List.of(
              c.component(),
              c.pod().orElse("-"),
              c.phase(),
              String.valueOf(c.ready()),
              String.valueOf(c.restarts()),
              c.age().map(StatusPrinter::age).orElse("-"),
              c.lastRestart().orElse("-"),
              c.health(),
              c.latency().map(d -> d.toMillis() + "ms").orElse("-")));
    }
    int[] widths = new int[rows.getFirst().size()];
    for (var row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], Math.min(row.get(i).length(), 60));
      }
    }
    for (var row : rows) {
      var line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i).replace('\n', ' ');
        if (i < row.size() - 1 && cell.length() > 60) {
          cell = cell.substring(0, 57) + "...";
        }
        line.append(i == row.size() - 1 ? cell : String.format("%-" + (widths[i] + 3) + "s", cell));
      }
      out.println(line.toString().stripTrailing());
    }
    out.println();
    if (r.runnerRunning()) {
      out.printf(
          "Runner: running (pid %d, up %s, runtime %s, manifests %s)%n",
          r.runnerPid().orElse(-1L),
          r.runnerUptime().map(StatusPrinter::age).orElse("-"),
          r.runtime(),
          r.manifestPath());
    } else if (r.runnerProblem().isPresent()) {
      out.println("Runner: NOT this node's runner: " + r.runnerProblem().get());
    } else {
      out.printf(
          "Runner: not running%s%n", r.runnerPid().map(p -> " (last pid " + p + ")").orElse(""));
    }
    out.println("Mirror pods: " + r.mirror());
    out.println("Manifest errors: " + (r.manifestErrors().isEmpty() ? "none" : ""));
    r.manifestErrors().forEach(e -> out.println("  " + e));
    out.println(
        "Certificates: "
            + (r.certificatesChecked() == 0
                ? "no certificates found"
                : r.certificateWarnings().isEmpty()
                    ? r.certificatesChecked() + " checked, none expire within 30 days"
                    : ""));
    r.certificateWarnings().forEach(w -> out.println("  WARNING " + w));
    r.etcd().ifPresent(e -> etcdTable(e, out));
    out.println("Control plane: " + (r.healthy() ? "healthy" : "NOT healthy"));
  }

  static void etcdTable(EtcdClusterReport etcd, PrintWriter out) {
    if (etcd.problem().isPresent()) {
      out.println("etcd members: cannot list: " + etcd.problem().get());
      return;
    }
    out.println("etcd members:");
    var rows = new ArrayList<List<String>>();
    rows.add(List.of("NAME", "ID", "ROLE", "HEALTH", "VERSION", "PEER URL", "CLIENT URL"));
    for (var m : etcd.members()) {
      rows.add(
          List.of(
              m.name(),
              m.id(),
              m.learner() ? "learner" : m.leader() ? "leader" : "follower",
              m.healthy() ? "ok" : "unhealthy",
              m.version(),
              m.peerUrl(),
              m.clientUrl()));
    }
    int[] widths = new int[rows.getFirst().size()];
    for (var row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (var row : rows) {
      var line = new StringBuilder("  ");
      for (int i = 0; i < row.size(); i++) {
        line.append(String.format("%-" + (widths[i] + 3) + "s", row.get(i)));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  static Map<String, Object> asMap(StatusReport r) {
    var map = new LinkedHashMap<String, Object>();
    map.put("healthy", r.healthy());
    var runner = new LinkedHashMap<String, Object>();
    runner.put("running", r.runnerRunning());
    r.runnerProblem().ifPresent(p -> runner.put("problem", p));
    r.runnerPid().ifPresent(p -> runner.put("pid", p));
    r.runnerUptime().ifPresent(d -> runner.put("uptimeSeconds", d.toSeconds()));
    runner.put("runtime", r.runtime());
    runner.put("manifestPath", r.manifestPath());
    runner.put("mirror", r.mirror());
    runner.put("manifestErrors", r.manifestErrors());
    map.put("runner", runner);
    var components = new ArrayList<Map<String, Object>>();
    for (var c : r.components()) {
      var m = new LinkedHashMap<String, Object>();
      m.put("component", c.component());
      m.put("pod", c.pod().orElse(null));
      m.put("phase", c.phase());
      m.put("ready", c.ready());
      m.put("restarts", c.restarts());
      m.put("ageSeconds", c.age().map(Duration::toSeconds).orElse(null));
      m.put("lastRestart", c.lastRestart().orElse(null));
      m.put("healthy", c.healthy());
      m.put("health", c.health());
      m.put("latencyMillis", c.latency().map(Duration::toMillis).orElse(null));
      components.add(m);
    }
    map.put("components", components);
    map.put("certificatesChecked", r.certificatesChecked());
    map.put("certificateWarnings", r.certificateWarnings());
    r.etcd()
        .ifPresent(
            e -> {
              var etcd = new LinkedHashMap<String, Object>();
              etcd.put("healthy", e.healthy());
              e.problem().ifPresent(p -> etcd.put("problem", p));
              var members = new ArrayList<Map<String, Object>>();
              for (var m : e.members()) {
                var member = new LinkedHashMap<String, Object>();
                member.put("name", m.name());
                member.put("id", m.id());
                member.put("learner", m.learner());
                member.put("leader", m.leader());
                member.put("healthy", m.healthy());
                member.put("version", m.version());
                member.put("peerURL", m.peerUrl());
                member.put("clientURL", m.clientUrl());
                members.add(member);
              }
              etcd.put("members", members);
              map.put("etcd", etcd);
            });
    return map;
  }

  static String age(Duration d) {
    long s = d.toSeconds();
    if (s < 120) {
      return s + "s";
    }
    if (s < 7200) {
      return (s / 60) + "m";
    }
    if (s < 172800) {
      return (s / 3600) + "h";
    }
    return (s / 86400) + "d";
  }
}
