package dev.kubeboot.runner.runtime.process;

import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.ContainerPort;
import dev.kubeboot.runner.pod.EnvVar;
import dev.kubeboot.runner.pod.ImagePullPolicy;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.PodSpec;
import dev.kubeboot.runner.pod.Resources;
import dev.kubeboot.runner.pod.RestartPolicy;
import dev.kubeboot.runner.pod.SecurityContext;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.pod.Volume;
import dev.kubeboot.runner.pod.VolumeMount;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builders for pods whose containers are real host commands. */
public final class ProcessPods {
  private ProcessPods() {}

  public static Container container(String name, List<String> command) {
    return container(
        name, "registry.k8s.io/" + name + ":v1", command, List.of(), List.of(), List.of());
  }

  public static Container container(
      String name,
      String image,
      List<String> command,
      List<EnvVar> env,
      List<VolumeMount> mounts,
      List<ContainerPort> ports) {
    return new Container(
        name,
        image,
        ImagePullPolicy.IF_NOT_PRESENT,
        command,
        List.of(),
        env,
        Optional.empty(),
        ports,
        mounts,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        SecurityContext.NONE,
        Resources.NONE);
  }

  public static Container withWorkingDir(Container c, String dir) {
    return new Container(
        c.name(),
        c.image(),
        c.imagePullPolicy(),
        c.command(),
        c.args(),
        c.env(),
        Optional.of(dir),
        c.ports(),
        c.volumeMounts(),
        c.livenessProbe(),
        c.readinessProbe(),
        c.startupProbe(),
        c.preStop(),
        c.securityContext(),
        c.resources());
  }

  public static Container withArgs(Container c, List<String> args) {
    return new Container(
        c.name(),
        c.image(),
        c.imagePullPolicy(),
        c.command(),
        args,
        c.env(),
        c.workingDir(),
        c.ports(),
        c.volumeMounts(),
        c.livenessProbe(),
        c.readinessProbe(),
        c.startupProbe(),
        c.preStop(),
        c.securityContext(),
        c.resources());
  }

  public static Container withSecurity(Container c, SecurityContext security) {
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
        c.preStop(),
        security,
        c.resources());
  }

  public static StaticPod pod(
      String name, String uid, List<Container> containers, List<Volume> volumes) {
    return new StaticPod(
        new PodKey("kube-system", name + "-node1"),
        uid,
        Path.of("/etc/kubernetes/manifests/" + name + ".yaml"),
        Map.of(),
        Map.of(),
        new PodSpec(
            List.of(), containers, RestartPolicy.ALWAYS, true, Duration.ofSeconds(30), volumes),
        Map.of());
  }

  public static StaticPod pod(String name, Container container) {
    return pod(name, "0123456789abcdef0123456789abcdef", List.of(container), List.of());
  }
}
