package dev.kubeboot.runner.runtime;

import dev.kubeboot.runner.pod.Container;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Pods for the container-engine runtimes' tests (Docker and CRI), over the images that
 * scripts/docker-test-env.sh and scripts/containerd-test-env.sh both import.
 */
public final class EnginePods {
  public static final String BUSYBOX = "kubeboot.test/busybox:1";
  public static final String ETCD = "registry.k8s.io/etcd:3.4.23-0";

  private EnginePods() {}

  /**
   * The manifest of kube-system pod {@code name} on the node's network, its one busybox container
   * main running {@code command} (a YAML flow sequence); container fields may be appended at four
   * spaces.
   */
  public static String manifest(String name, String command) {
    return """
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
          namespace: kube-system
        spec:
          hostNetwork: true
          terminationGracePeriodSeconds: 2
          containers:
          - name: main
            image: %s
            command: %s
        """
        .formatted(name, BUSYBOX, command);
  }

  /**
   * The pod kube-system/chatty: writes {@code bytes} of output at once, then a tick a second, so
   * log rotation has both to act on.
   */
  public static String chattyManifest(long bytes) {
    return manifest(
        "chatty",
        "[\"sh\", \"-c\", \"yes 'a line of container output' | head -c %d; i=0; while true; do"
                .formatted(bytes)
            + " echo tick $i; i=$((i+1)); sleep 1; done\"]");
  }

  /** A busybox container running {@code sh -c script}. */
  public static Container shell(String name, String script) {
    return container(name, BUSYBOX, List.of("sh", "-c", script));
  }

  public static Container container(String name, String image, List<String> command) {
    return new Container(
        name,
        image,
        ImagePullPolicy.IF_NOT_PRESENT,
        command,
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

  public static Container with(
      Container c,
      ImagePullPolicy policy,
      List<String> args,
      List<EnvVar> env,
      Optional<String> workingDir,
      List<VolumeMount> mounts,
      SecurityContext security,
      Resources resources) {
    return new Container(
        c.name(),
        c.image(),
        policy,
        c.command(),
        args,
        env,
        workingDir,
        c.ports(),
        mounts,
        c.livenessProbe(),
        c.readinessProbe(),
        c.startupProbe(),
        c.preStop(),
        security,
        resources);
  }

  public static Container withImage(Container c, String image, ImagePullPolicy policy) {
    return new Container(
        c.name(),
        image,
        policy,
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
        c.securityContext(),
        c.resources());
  }

  public static StaticPod pod(String name, Container container) {
    return pod(name, true, List.of(container), List.of());
  }

  /** A pod with a fresh uid, so tests never see each other's containers. */
  public static StaticPod pod(
      String name, boolean hostNetwork, List<Container> containers, List<Volume> volumes) {
    byte[] uid = new byte[16];
    ThreadLocalRandom.current().nextBytes(uid);
    return new StaticPod(
        new PodKey("kube-system", name + "-node1"),
        HexFormat.of().formatHex(uid),
        Path.of("/etc/kubernetes/manifests/" + name + ".yaml"),
        Map.of(),
        Map.of(),
        new PodSpec(
            List.of(),
            containers,
            RestartPolicy.ALWAYS,
            hostNetwork,
            Duration.ofSeconds(30),
            volumes),
        Map.of());
  }
}
