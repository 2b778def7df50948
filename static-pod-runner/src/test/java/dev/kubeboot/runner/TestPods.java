package dev.kubeboot.runner;

import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.ImagePullPolicy;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.PodSpec;
import dev.kubeboot.runner.pod.Probe;
import dev.kubeboot.runner.pod.ProbeAction;
import dev.kubeboot.runner.pod.ProbeTiming;
import dev.kubeboot.runner.pod.Resources;
import dev.kubeboot.runner.pod.RestartPolicy;
import dev.kubeboot.runner.pod.SecurityContext;
import dev.kubeboot.runner.pod.StaticPod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Small builders for pods in worker tests. */
public final class TestPods {
  private TestPods() {}

  public static Container container(String name) {
    return new Container(
        name,
        "registry.k8s.io/" + name + ":1",
        ImagePullPolicy.IF_NOT_PRESENT,
        List.of(name),
        List.of(),
        List.of(),
        Optional.empty(),
        List.of(),
        List.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        SecurityContext.NONE,
        Resources.NONE);
  }

  /** An exec probe named {@code word} (see {@link FakeProber}) with the given timing. */
  public static Probe probe(String word, int periodSeconds, int failureThreshold) {
    return new Probe(
        new ProbeAction.Exec(List.of(word)),
        new ProbeTiming(
            Duration.ZERO,
            Duration.ofSeconds(periodSeconds),
            Duration.ofSeconds(1),
            1,
            failureThreshold),
        Optional.empty());
  }

  public static Container withProbes(
      Container c, Optional<Probe> liveness, Optional<Probe> readiness, Optional<Probe> startup) {
    return new Container(
        c.name(),
        c.image(),
        c.imagePullPolicy(),
        c.command(),
        c.args(),
        c.env(),
        c.workingDir(),
        c.ports(),
        c.volumeMounts(),
        liveness,
        readiness,
        startup,
        c.preStop(),
        c.securityContext(),
        c.resources());
  }

  public static Container withPreStop(Container c, ProbeAction hook) {
    return new Container(
        c.name(),
        c.image(),
        c.imagePullPolicy(),
        c.command(),
        c.args(),
        c.env(),
        c.workingDir(),
        c.ports(),
        c.volumeMounts(),
        c.livenessProbe(),
        c.readinessProbe(),
        c.startupProbe(),
        Optional.of(hook),
        c.securityContext(),
        c.resources());
  }

  public static StaticPod pod(String name, String uid, Container... containers) {
    return pod(name, uid, RestartPolicy.ALWAYS, List.of(), List.of(containers));
  }

  public static StaticPod pod(
      String name, String uid, RestartPolicy policy, List<Container> init, List<Container> apps) {
    return pod(name, uid, policy, true, init, apps);
  }

  /** A pod with its own network (no hostNetwork). */
  public static StaticPod podNetworkPod(String name, String uid, Container... containers) {
    return pod(name, uid, RestartPolicy.ALWAYS, false, List.of(), List.of(containers));
  }

  public static StaticPod pod(
      String name,
      String uid,
      RestartPolicy policy,
      boolean hostNetwork,
      List<Container> init,
      List<Container> apps) {
    return new StaticPod(
        new PodKey("kube-system", name + "-node1"),
        uid,
        Path.of("/etc/kubernetes/manifests/" + name + ".yaml"),
        Map.of("component", name),
        Map.of("kubernetes.io/config.hash", uid),
        new PodSpec(init, apps, policy, hostNetwork, Duration.ofSeconds(30), List.of()),
        Map.of());
  }
}
