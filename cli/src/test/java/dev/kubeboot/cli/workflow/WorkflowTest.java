package dev.kubeboot.cli.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WorkflowTest {
  private static final List<String> RAN = new ArrayList<>();

  private static Step<List<String>> step(String name) {
    return Step.of(name, name + " step", ctx -> ctx.add(name));
  }

  private static final Workflow<List<String>> WORKFLOW =
      new Workflow<>(
          List.of(
              step("preflight"),
              Group.of("certs", "certificates", step("ca"), step("apiserver"), step("sa")),
              Group.of("kubeconfig", "kubeconfigs", step("admin"), step("scheduler")),
              step("wait-control-plane")));

  static Stream<Arguments> selections() {
    return Stream.of(
        Arguments.of(
            "nothing chosen runs everything",
            List.of(),
            List.of(),
            List.of(
                "preflight",
                "certs/ca",
                "certs/apiserver",
                "certs/sa",
                "kubeconfig/admin",
                "kubeconfig/scheduler",
                "wait-control-plane")),
        Arguments.of(
            "choosing a group chooses its children",
            List.of("certs"),
            List.of(),
            List.of("certs/ca", "certs/apiserver", "certs/sa")),
        Arguments.of(
            "group/all is the group",
            List.of("certs/all"),
            List.of(),
            List.of("certs/ca", "certs/apiserver", "certs/sa")),
        Arguments.of(
            "skip beats only",
            List.of("certs"),
            List.of("certs/apiserver"),
            List.of("certs/ca", "certs/sa")),
        Arguments.of(
            "skipping a group skips its children",
            List.of(),
            List.of("certs", "kubeconfig", "preflight"),
            List.of("wait-control-plane")),
        Arguments.of(
            "only keeps workflow order, not the order given",
            List.of("wait-control-plane", "certs/ca"),
            List.of(),
            List.of("certs/ca", "wait-control-plane")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("selections")
  void plans(String sentence, List<String> only, List<String> skip, List<String> expected) {
    assertThat(WORKFLOW.plan(only, skip))
        .extracting(PlannedStep::path)
        .containsExactlyElementsOf(expected);
  }

  @Test
  void anUnknownPhaseIsAUsageErrorNamingEveryUnknownOne() {
    assertThatThrownBy(() -> WORKFLOW.plan(List.of("certs/nope"), List.of("bogus")))
        .isInstanceOf(UnknownPhaseException.class)
        .hasMessageContaining("unknown phase bogus, certs/nope")
        .hasMessageContaining("known phases: preflight, certs, certs/ca");
  }

  @Test
  void prerequisitesAreMetByAnEarlierStepOrByWhatHolds() {
    Prerequisite<List<String>> needsCa =
        new Prerequisite<>("the cluster CA", "certs/ca", ctx -> false);
    var workflow =
        new Workflow<List<String>>(
            List.of(Group.of("certs", "certs", step("ca"), step("apiserver").requiring(needsCa))));
    var context = new ArrayList<String>();
    assertThat(Workflow.unmetPrerequisites(workflow.plan(List.of(), List.of()), context)).isEmpty();
    assertThat(
            Workflow.unmetPrerequisites(
                workflow.plan(List.of("certs/apiserver"), List.of()), context))
        .containsExactly("phase certs/apiserver needs the cluster CA: run phase certs/ca first");
    var holding = new Prerequisite<List<String>>("the cluster CA", "certs/ca", ctx -> true);
    var workflow2 =
        new Workflow<List<String>>(
            List.of(Group.of("certs", "certs", step("ca"), step("apiserver").requiring(holding))));
    assertThat(
            Workflow.unmetPrerequisites(
                workflow2.plan(List.of("certs/apiserver"), List.of()), context))
        .isEmpty();
  }

  @Test
  void runsInOrderAndNamesTheFailingPhase() {
    var workflow =
        new Workflow<List<String>>(
            List.of(
                step("one"),
                Group.of(
                    "two",
                    "group",
                    Step.<List<String>>of(
                        "boom",
                        "fails",
                        ctx -> {
                          throw new IllegalStateException("disk full");
                        })),
                step("three")));
    var context = new ArrayList<String>();
    var seen = new ArrayList<String>();
    assertThatThrownBy(
            () ->
                Workflow.run(workflow.plan(List.of(), List.of()), context, p -> seen.add(p.path())))
        .isInstanceOf(PhaseFailedException.class)
        .hasMessage("phase two/boom: disk full");
    assertThat(context).containsExactly("one");
    assertThat(seen).containsExactly("one", "two/boom");
  }

  @Test
  void namesMustBeKebabCaseAndAllIsReserved() {
    assertThatThrownBy(() -> step("Bad_Name")).hasMessageContaining("kebab-case");
    assertThatThrownBy(() -> Group.of("g", "g", step("all"))).hasMessageContaining("reserved");
    assertThatThrownBy(() -> Group.of("g", "g", step("a"), step("a")))
        .hasMessageContaining("two children");
    assertThat(RAN).isEmpty();
  }
}
