package dev.kubeboot.cli.init;

import dev.kubeboot.cli.workflow.Group;
import dev.kubeboot.cli.workflow.Phase;
import dev.kubeboot.cli.workflow.Step;
import dev.kubeboot.templates.ControlPlaneComponent;
import dev.kubeboot.templates.ControlPlaneManifests;
import dev.kubeboot.templates.ExternalEtcd;
import dev.kubeboot.templates.StaticPod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/** Phases "etcd" and "control-plane": the four static pod manifests. */
final class ManifestsPhase {
  private ManifestsPhase() {}

  static Phase<InitContext> etcd() {
    return Group.of(
        "etcd",
        "Generate static Pod manifest file for local etcd",
        Step.<InitContext>of(
            "local",
            "Generate the static Pod manifest file for a local, single-node local etcd instance",
            ManifestsPhase::localEtcd));
  }

  static Phase<InitContext> controlPlane() {
    return Group.of(
        "control-plane",
        "Generate all static Pod manifest files necessary to establish the control plane",
        Step.<InitContext>of(
            "apiserver",
            "Generates the kube-apiserver static Pod manifest",
            ctx -> component(ctx, ControlPlaneComponent.KUBE_APISERVER)),
        Step.<InitContext>of(
            "controller-manager",
            "Generates the kube-controller-manager static Pod manifest",
            ctx -> component(ctx, ControlPlaneComponent.KUBE_CONTROLLER_MANAGER)),
        Step.<InitContext>of(
            "scheduler",
            "Generates the kube-scheduler static Pod manifest",
            ctx -> component(ctx, ControlPlaneComponent.KUBE_SCHEDULER)));
  }

  private static void localEtcd(InitContext ctx) throws Exception {
    if (ctx.controlPlaneInputs().etcd() instanceof ExternalEtcd) {
      ctx.printer()
          .phase("etcd", "External etcd mode: Skipping the creation of a manifest for local etcd");
      return;
    }
    if (ctx.config().cluster().etcd() instanceof dev.kubeboot.cli.config.LocalEtcd local) {
      // kubeboot says where etcd keeps its data: with --kubernetes-dir it is not /var/lib/etcd.
      ctx.printer().phase("etcd", "Using etcd data directory \"%s\"", local.dataDir());
    }
    Optional<byte[]> manifest =
        write(
            ctx,
            "etcd",
            ControlPlaneComponent.ETCD,
            "Creating static Pod manifest for local etcd in \""
                + ctx.layout().manifestDir()
                + "\"");
    // What reset may empty later: the directory this manifest gives etcd, read as reset reads it.
    Path file = ctx.layout().manifest(ControlPlaneComponent.ETCD.manifestFileName());
    Optional<Path> dataDir =
        manifest.isPresent() ? EtcdDataRecord.dataDirOf(manifest.get(), file) : Optional.empty();
    if (dataDir.isPresent()) {
      EtcdDataRecord.write(ctx.sink(), ctx.layout(), dataDir.get());
    }
  }

  /** The etcd manifest of a member joining an existing cluster (kubeadm's etcd-join). */
  static void joiningEtcd(InitContext ctx, String initialCluster) throws Exception {
    if (!(ctx.config().cluster().etcd() instanceof dev.kubeboot.cli.config.LocalEtcd local)) {
      ctx.printer()
          .phase("etcd", "External etcd mode: Skipping the creation of a manifest for local etcd");
      return;
    }
    ctx.printer().phase("etcd", "Using etcd data directory \"%s\"", local.dataDir());
    StaticPod pod =
        new ControlPlaneManifests().joiningEtcd(ctx.controlPlaneInputs(), initialCluster);
    byte[] content = ctx.manifestRenderer().render(pod).getBytes(StandardCharsets.UTF_8);
    ControlPlaneComponent etcd = ControlPlaneComponent.ETCD;
    Path file = ctx.layout().manifest(etcd.manifestFileName());
    ctx.printer()
        .phase(
            "etcd",
            "Creating static Pod manifest for \"%s\" joining the existing etcd cluster",
            etcd.podName());
    // The data directory is recorded before the manifest that makes etcd fill it exists, so that
    // reset may empty it whenever a kill stops the join.
    Optional<Path> dataDir = EtcdDataRecord.dataDirOf(content, file);
    if (dataDir.isPresent()) {
      EtcdDataRecord.write(ctx.sink(), ctx.layout(), dataDir.get());
    }
    ManifestRecord.write(ctx.sink(), ctx.layout().manifestRecord(), file, content);
  }

  /** Deletes the etcd manifest, so that the runner stops an etcd whose member was removed. */
  static void removeEtcd(InitContext ctx) throws java.io.IOException {
    ctx.sink().delete(ctx.layout().manifest(ControlPlaneComponent.ETCD.manifestFileName()));
  }

  private static void component(InitContext ctx, ControlPlaneComponent component) throws Exception {
    write(
        ctx,
        "control-plane",
        component,
        "Creating static Pod manifest for \"" + component.podName() + "\"");
  }

  /** Writes one manifest; returns its content, or empty when this config has no such pod. */
  private static Optional<byte[]> write(
      InitContext ctx, String tag, ControlPlaneComponent component, String creating)
      throws Exception {
    Optional<StaticPod> pod =
        new ControlPlaneManifests().component(component, ctx.controlPlaneInputs());
    if (pod.isEmpty()) {
      return Optional.empty();
    }
    byte[] content = ctx.manifestRenderer().render(pod.get()).getBytes(StandardCharsets.UTF_8);
    Path file = ctx.layout().manifest(component.manifestFileName());
    Optional<byte[]> existing = ctx.sink().read(file);
    if (existing.isPresent() && Arrays.equals(existing.get(), content)) {
      ctx.printer()
          .phase(
              tag, "Static Pod manifest for \"%s\" is up to date (%s)", component.podName(), file);
    } else {
      ctx.printer().phase(tag, creating);
    }
    ManifestRecord.write(ctx.sink(), ctx.layout().manifestRecord(), file, content, existing);
    return Optional.of(content);
  }
}
