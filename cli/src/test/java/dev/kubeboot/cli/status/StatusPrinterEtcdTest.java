package dev.kubeboot.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.cli.etcd.EtcdClusterReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusPrinterEtcdTest {
  private static final EtcdClusterReport THREE =
      new EtcdClusterReport(
          List.of(
              new EtcdClusterReport.Member(
                  "node1",
                  "a1",
                  "https://10.0.0.1:2380",
                  "https://10.0.0.1:2379",
                  false,
                  true,
                  true,
                  "3.4.30"),
              new EtcdClusterReport.Member(
                  "node2",
                  "b2",
                  "https://10.0.0.2:2380",
                  "https://10.0.0.2:2379",
                  false,
                  false,
                  false,
                  "-"),
              new EtcdClusterReport.Member(
                  "c3", "c3", "https://10.0.0.3:2380", "-", true, false, false, "-")),
          Optional.empty());

  @Test
  void the_table_names_the_leader_the_learner_and_the_unhealthy_member() {
    var out = new StringWriter();
    StatusPrinter.etcdTable(THREE, new PrintWriter(out, true));
    List<String> lines = out.toString().lines().toList();
    assertThat(lines.get(0)).isEqualTo("etcd members:");
    assertThat(lines.get(1)).contains("NAME", "ROLE", "HEALTH");
    assertThat(lines.get(2)).contains("node1", "leader", "ok", "3.4.30");
    assertThat(lines.get(3)).contains("node2", "follower", "unhealthy");
    assertThat(lines.get(4)).contains("c3", "learner");
    assertThat(THREE.healthy()).isFalse();
  }

  @Test
  void a_cluster_that_cannot_be_listed_says_why() {
    var out = new StringWriter();
    StatusPrinter.etcdTable(
        new EtcdClusterReport(List.of(), Optional.of("no etcd member answered")),
        new PrintWriter(out, true));
    assertThat(out.toString()).isEqualTo("etcd members: cannot list: no etcd member answered\n");
  }

  @Test
  void json_and_yaml_carry_each_member() {
    var report =
        new StatusReport(
            false,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            "-",
            "/etc/kubernetes/manifests",
            "-",
            List.of(),
            List.of(),
            0,
            List.of(),
            Optional.of(THREE));
    @SuppressWarnings("unchecked")
    Map<String, Object> etcd = (Map<String, Object>) StatusPrinter.asMap(report).get("etcd");
    assertThat(etcd).containsEntry("healthy", false);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> members = (List<Map<String, Object>>) etcd.get("members");
    assertThat(members).hasSize(3);
    assertThat(members.get(0)).containsEntry("leader", true).containsEntry("name", "node1");
  }
}
