package dev.kubeboot.cli.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeboot.cli.workflow.PlannedStep;
import dev.kubeboot.cli.workflow.UnknownPhaseException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kubeadm join's control-plane phases, in kubeadm's order, built from init's steps. */
class JoinPhasesTest {
  @Test
  void the_phases_are_kubeadms_join_phases_in_kubeadms_order() {
    List<String> paths = JoinPhases.workflow().paths();
    assertThat(paths.stream().filter(p -> !p.contains("/")))
        .containsExactly(
            "preflight",
            "control-plane-prepare",
            "runner-start",
            "control-plane-join",
            "wait-control-plane");
    assertThat(paths.stream().filter(p -> p.startsWith("control-plane-prepare/")))
        .containsExactly(
            "control-plane-prepare/download-certs",
            "control-plane-prepare/certs",
            "control-plane-prepare/certs/apiserver",
            "control-plane-prepare/certs/apiserver-kubelet-client",
            "control-plane-prepare/certs/front-proxy-client",
            "control-plane-prepare/certs/etcd-server",
            "control-plane-prepare/certs/etcd-peer",
            "control-plane-prepare/certs/etcd-healthcheck-client",
            "control-plane-prepare/certs/apiserver-etcd-client",
            "control-plane-prepare/kubeconfig",
            "control-plane-prepare/kubeconfig/admin",
            "control-plane-prepare/kubeconfig/kubelet",
            "control-plane-prepare/kubeconfig/controller-manager",
            "control-plane-prepare/kubeconfig/scheduler",
            "control-plane-prepare/control-plane",
            "control-plane-prepare/control-plane/apiserver",
            "control-plane-prepare/control-plane/controller-manager",
            "control-plane-prepare/control-plane/scheduler");
    assertThat(paths.stream().filter(p -> p.startsWith("control-plane-join/")))
        .containsExactly("control-plane-join/etcd", "control-plane-join/mark-control-plane");
  }

  @Test
  void no_ca_and_no_service_account_key_is_ever_made_on_a_joining_node() {
    assertThat(JoinPhases.workflow().paths())
        .noneMatch(p -> p.endsWith("/ca") || p.endsWith("-ca") || p.endsWith("/sa"))
        .noneMatch(p -> p.endsWith("super-admin"));
  }

  @Test
  void the_etcd_member_joins_after_the_runner_runs_and_before_the_control_plane_is_waited_for() {
    List<String> plan =
        JoinPhases.workflow().plan(List.of(), List.of()).stream().map(PlannedStep::path).toList();
    assertThat(plan.indexOf("control-plane-prepare/control-plane/apiserver"))
        .isLessThan(plan.indexOf("runner-start"));
    assertThat(plan.indexOf("runner-start")).isLessThan(plan.indexOf("control-plane-join/etcd"));
    assertThat(plan.indexOf("control-plane-join/etcd"))
        .isLessThan(plan.indexOf("control-plane-join/mark-control-plane"));
    assertThat(plan.get(plan.size() - 1)).isEqualTo("wait-control-plane");
    assertThat(plan.get(0)).isEqualTo("preflight");
  }

  @Test
  void an_init_step_needing_a_ca_is_told_to_run_download_certs() {
    assertThat(JoinPhases.joinPath("certs/etcd-ca"))
        .isEqualTo("control-plane-prepare/download-certs");
    assertThat(JoinPhases.joinPath("certs/ca")).isEqualTo("control-plane-prepare/download-certs");
    assertThat(JoinPhases.joinPath("kubeconfig/admin"))
        .isEqualTo("control-plane-prepare/kubeconfig/admin");
    var plan =
        JoinPhases.workflow().plan(List.of("control-plane-prepare/certs/etcd-peer"), List.of());
    assertThat(plan.get(0).step().prerequisites())
        .extracting(p -> p.providedBy())
        .containsExactly("control-plane-prepare/download-certs");
  }

  @Test
  void skipping_a_group_skips_its_children_and_an_unknown_phase_is_a_usage_error() {
    List<String> plan =
        JoinPhases.workflow()
            .plan(List.of(), List.of("control-plane-join", "wait-control-plane"))
            .stream()
            .map(PlannedStep::path)
            .toList();
    assertThat(plan)
        .noneMatch(p -> p.startsWith("control-plane-join"))
        .doesNotContain("wait-control-plane");
    assertThatThrownBy(() -> JoinPhases.workflow().plan(List.of(), List.of("kubelet-start")))
        .isInstanceOf(UnknownPhaseException.class)
        .hasMessageContaining("unknown phase kubelet-start");
  }
}
