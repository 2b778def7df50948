package dev.kubeboot.runner.runtime;

import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.EnvValue;
import dev.kubeboot.runner.pod.EnvVar;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.pod.Volume;
import dev.kubeboot.runner.pod.VolumeMount;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;

/**
 * A stable hash of what a container runs (image, command, args, env, working dir, ports, mounts and
 * the volumes behind them, security context, resources), so an adopted container whose spec changed
 * is replaced. Probes are left out: changing a probe does not restart a container (as the kubelet).
 */
public final class ContainerConfigHash {
  private ContainerConfigHash() {}

  public static String of(StaticPod pod, Container c) {
    StringBuilder b = new StringBuilder();
    field(b, "name", c.name());
    field(b, "image", c.image());
    field(b, "command", c.command().toString());
    field(b, "args", c.args().toString());
    for (EnvVar e : c.env()) {
      // The spec, not the pod's IP: a new sandbox IP does not make the container a changed one.
      switch (e.value()) {
        case EnvValue.Literal literal -> field(b, "env", e.name() + "=" + literal.text());
        case EnvValue.Field resolved -> field(b, "env", e.name() + "=" + resolved.value());
        case EnvValue.PodIPs ips -> field(b, "envFieldRef", e.name() + "=" + ips.fieldPath());
      }
    }
    field(b, "workingDir", c.workingDir().orElse(""));
    c.ports().forEach(p -> field(b, "port", p.toString()));
    for (VolumeMount m : c.volumeMounts()) {
      field(b, "mount", m.toString());
      field(b, "volume", pod.spec().volume(m.name()).map(Volume::toString).orElse("missing"));
    }
    field(b, "securityContext", c.securityContext().toString());
    field(b, "requests", new TreeMap<>(c.resources().requests()).toString());
    field(b, "limits", new TreeMap<>(c.resources().limits()).toString());
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(b.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  private static void field(StringBuilder b, String name, String value) {
    b.append(name).append('\0').append(value.length()).append('\0').append(value).append('\n');
  }
}
