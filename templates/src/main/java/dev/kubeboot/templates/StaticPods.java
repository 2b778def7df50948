package dev.kubeboot.templates;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What every kubeadm control-plane pod shares (util/staticpod ComponentPod), and small helpers. */
final class StaticPods {

  static final String NAMESPACE = "kube-system";
  static final int PRIORITY = 2000001000;
  static final String PRIORITY_CLASS = "system-node-critical";
  static final String SECCOMP_RUNTIME_DEFAULT = "RuntimeDefault";

  private StaticPods() {}

  static StaticPod pod(
      ControlPlaneInputs in,
      ControlPlaneComponent component,
      String image,
      Map<String, String> annotations,
      List<String> flags,
      List<EnvVar> env,
      Probes probes,
      HttpProbe liveness,
      HttpProbe readiness,
      HttpProbe startup,
      Map<String, String> requests,
      Volumes volumes) {
    List<String> command = new ArrayList<>(flags.size() + 1);
    command.add(component.podName());
    command.addAll(flags);
    return new StaticPod(
        component.podName(),
        NAMESPACE,
        in.release().creationTimestampNull(),
        Map.of("component", component.podName(), "tier", "control-plane"),
        annotations,
        image,
        in.imagePullPolicy(),
        command,
        env,
        probes.containerPorts(),
        liveness,
        readiness,
        startup,
        requests,
        volumes.mounts(),
        volumes.volumes(),
        true,
        PRIORITY,
        PRIORITY_CLASS,
        SECCOMP_RUNTIME_DEFAULT);
  }

  static Optional<Integer> parsePort(String text) {
    try {
      int p = Integer.parseInt(text.trim());
      return p >= 1 && p <= 65535 ? Optional.of(p) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
