package dev.kubeboot.runner.mirror;

import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.ContainerStatus;
import dev.kubeboot.runner.status.PodCondition;
import dev.kubeboot.runner.status.PodStatus;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateRunningBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateWaitingBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.util.List;

/** The runner's view of a pod, written the way the API's {@code PodStatus} spells it. */
final class MirrorStatus {
  private MirrorStatus() {}

  static io.fabric8.kubernetes.api.model.PodStatus of(PodStatus status) {
    PodStatusBuilder b =
        new PodStatusBuilder()
            .withPhase(status.phase().apiName())
            .withConditions(status.conditions().stream().map(MirrorStatus::condition).toList())
            .withInitContainerStatuses(
                status.initContainerStatuses().stream().map(MirrorStatus::container).toList())
            .withContainerStatuses(
                status.containerStatuses().stream().map(MirrorStatus::container).toList());
    if (!status.hostIP().isEmpty()) {
      b.withHostIP(status.hostIP()).withHostIPs(List.of(new HostIP(status.hostIP())));
    }
    if (!status.podIP().isEmpty()) {
      b.withPodIP(status.podIP()).withPodIPs(status.podIPs().stream().map(PodIP::new).toList());
    }
    status.startTime().ifPresent(t -> b.withStartTime(Times.format(t)));
    return b.build();
  }

  private static io.fabric8.kubernetes.api.model.PodCondition condition(PodCondition c) {
    return new PodConditionBuilder()
        .withType(c.type())
        .withStatus(c.status() ? "True" : "False")
        .withLastTransitionTime(Times.format(c.lastTransitionTime()))
        .build();
  }

  private static io.fabric8.kubernetes.api.model.ContainerStatus container(ContainerStatus c) {
    ContainerStatusBuilder b =
        new ContainerStatusBuilder()
            .withName(c.name())
            .withImage(c.image())
            .withImageID("")
            .withReady(c.ready())
            .withStarted(c.started())
            .withRestartCount(c.restartCount())
            .withState(state(c.state(), c.containerID()));
    if (!c.containerID().isEmpty()) {
      b.withContainerID(c.containerID());
    }
    c.lastState().ifPresent(t -> b.withLastState(state(t, "")));
    return b.build();
  }

  private static io.fabric8.kubernetes.api.model.ContainerState state(
      ContainerState state, String containerID) {
    return switch (state) {
      case ContainerState.Waiting w ->
          new ContainerStateBuilder()
              .withWaiting(
                  new ContainerStateWaitingBuilder()
                      .withReason(w.reason())
                      .withMessage(w.message().isEmpty() ? null : w.message())
                      .build())
              .build();
      case ContainerState.Running r ->
          new ContainerStateBuilder()
              .withRunning(
                  new ContainerStateRunningBuilder()
                      .withStartedAt(Times.format(r.startedAt()))
                      .build())
              .build();
      case ContainerState.Terminated t ->
          new ContainerStateBuilder()
              .withTerminated(
                  new ContainerStateTerminatedBuilder()
                      .withExitCode(t.exitCode())
                      .withReason(t.reason())
                      .withStartedAt(Times.format(t.startedAt()))
                      .withFinishedAt(Times.format(t.finishedAt()))
                      .withContainerID(containerID.isEmpty() ? null : containerID)
                      .build())
              .build();
    };
  }
}
