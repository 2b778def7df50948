package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.UsageException;
import dev.kubeboot.cli.config.ClusterConfigurationYaml;
import dev.kubeboot.cli.config.KubeadmConfig;
import dev.kubeboot.cli.config.UpgradeConfigReader;
import dev.kubeboot.cli.init.InitOptions;
import dev.kubeboot.cli.init.InitSession;
import dev.kubeboot.cli.init.KubeLayout;
import dev.kubeboot.cli.init.RunnerControls;
import dev.kubeboot.cli.io.AtomicFileSink;
import dev.kubeboot.cli.output.Printer;
import dev.kubeboot.templates.EtcdVersion;
import dev.kubeboot.templates.InvalidInputException;
import dev.kubeboot.templates.KubernetesVersion;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the upgrade commands share: the version this node runs, the target checked against the skew
 * policy, and the manifests the target renders to (by init's own manifest phases, written nowhere).
 */
final class UpgradeSession {
  /** One component's manifest now and at the target. */
  record ComponentChange(
      ManifestComponent component, Path manifest, Optional<byte[]> before, byte[] after) {
    boolean changed() {
      return before.isEmpty() || !java.util.Arrays.equals(before.get(), after);
    }

    /** The unified diff of the two manifests; empty when they are equal. */
    List<String> diff() {
      return diff(UnifiedDiff.CONTEXT);
    }

    /** The same with {@code context} lines of context. */
    List<String> diff(int context) {
      return changed()
          ? UnifiedDiff.of(
              component.fileName(),
              before.map(b -> new String(b, StandardCharsets.UTF_8)),
              new String(after, StandardCharsets.UTF_8),
              context)
          : List.of();
    }

    /** "+3 -2 lines" or "unchanged". */
    String summary() {
      if (!changed()) {
        return "unchanged";
      }
      long added = 0;
      long removed = 0;
      for (String line : diff()) {
        if (line.startsWith("+") && !line.startsWith("+++")) {
          added++;
        } else if (line.startsWith("-") && !line.startsWith("---")) {
          removed++;
        }
      }
      return "+" + added + " -" + removed + " lines";
    }
  }

  /** The prepared upgrade of this node. */
  record Prepared(
      KubeLayout layout,
      KubernetesVersion current,
      KubernetesVersion target,
      KubeadmConfig config,
      List<ComponentChange> components,
      List<String> notes) {
    Prepared {
      components = List.copyOf(components);
      notes = List.copyOf(notes);
    }
  }

  private final CliContext context;
  private final Clock clock;
  private final UpgradeConfigReader.Reading file;
  private final Optional<String> imagePullPolicy;
  private KubeadmConfig clusterConfig;

  /**
   * @param file what --config holds
   * @param imagePullPolicy the command's section's pull policy, when it sets one
   */
  UpgradeSession(
      CliContext context,
      Clock clock,
      UpgradeConfigReader.Reading file,
      Optional<String> imagePullPolicy) {
    this.context = context;
    this.clock = clock;
    this.file = file;
    this.imagePullPolicy = imagePullPolicy;
  }

  /** The target version text as a supported version; a usage error otherwise. */
  static KubernetesVersion parseTarget(String text) throws UsageException {
    try {
      return KubernetesVersion.parse(text).requireSupported().normalized();
    } catch (InvalidInputException e) {
      throw new UsageException("upgrade: " + e.getMessage(), e);
    }
  }

  /**
   * The version an upgrade command was given: the VERSION argument, or else the config file's
   * kubernetesVersion for the command (kubeadm's rule: the argument wins over the file); a usage
   * error when neither gives one, or when --kubernetes-version (an init flag the commands share)
   * says otherwise. Call once, before {@link #prepare} sets it.
   */
  static KubernetesVersion target(
      InitOptions options, String argument, Optional<KubernetesVersion> fromFile, String field)
      throws UsageException {
    if (argument == null && fromFile.isEmpty()) {
      throw new UsageException(
          "upgrade: give the version to upgrade to, as the VERSION argument (e.g. v1.34.2) or as "
              + field
              + " in the UpgradeConfiguration of --config");
    }
    if (argument != null) {
      return target(options, argument);
    }
    try {
      return target(options, fromFile.get().text());
    } catch (UsageException e) {
      throw new UsageException(field + " of --config: " + e.getMessage(), e);
    }
  }

  /**
   * The version an upgrade command was given; a usage error when --kubernetes-version says
   * otherwise.
   */
  static KubernetesVersion target(InitOptions options, String text) throws UsageException {
    KubernetesVersion target = parseTarget(text);
    Optional<String> flag = options.kubernetesVersionFlag();
    if (flag.isPresent() && !parseTarget(flag.get()).equals(target)) {
      throw new UsageException(
          "--kubernetes-version "
              + flag.get()
              + " contradicts the version to upgrade to, "
              + target
              + ": leave --kubernetes-version out");
    }
    return target;
  }

  /**
   * printConfig: the ClusterConfiguration the upgrade renders with, as kubeadm prints it before an
   * upgrade (each line indented by a tab).
   */
  static void printConfig(Printer printer, KubeadmConfig config) {
    printer.phase("upgrade/config", "Configuration used:");
    ClusterConfigurationYaml.marshal(config.cluster()).lines().forEach(l -> printer.line("\t" + l));
  }

  /** The version this node's kube-apiserver manifest names. */
  static KubernetesVersion current(InitOptions options) throws KubebootException {
    Path kubernetesDir = options.kubernetesDirOrDefault();
    return ManifestImages.clusterVersion(
        KubeLayout.of(kubernetesDir, kubernetesDir.resolve("pki")).manifest("kube-apiserver.yaml"));
  }

  /**
   * Checks the skew policy and renders the target's manifests.
   *
   * @param etcd false to leave etcd's manifest out (--etcd-upgrade=false)
   */
  Prepared prepare(InitOptions options, KubernetesVersion target, boolean etcd, boolean force)
      throws Exception {
    KubernetesVersion current = current(options);
    Optional<VersionSkew.Refusal> refusal = VersionSkew.check(current, target, force);
    if (refusal.isPresent()) {
      throw new KubebootException(refusal.get().message());
    }
    options.renderKubernetesVersion(target.text());
    var quiet = new PrintWriter(Writer.nullWriter());
    var session =
        new InitSession(quiet, context.err(), clock, System.getenv(), RunnerControls::create);
    KubeadmConfig read =
        file.initConfig().isPresent() ? file.initConfig().get() : clusterConfig(options);
    KubeadmConfig config =
        session.loadConfig(options, file.upgrade().appliedTo(read, imagePullPolicy));
    KubeLayout layout = options.layout(config);
    var chosen = new ArrayList<ManifestComponent>();
    for (ManifestComponent c : ManifestComponent.values()) {
      if (c != ManifestComponent.ETCD || etcd) {
        chosen.add(c);
      }
    }
    // A dry-run sink: the phases render into it and nothing reaches the disk.
    var sink =
        new ManifestUpdateSink(
            new AtomicFileSink(),
            layout.manifestDir(),
            layout.kubernetesDir().resolve("tmp"),
            clock,
            true);
    session.run(
        options,
        chosen.stream().map(ManifestComponent::phasePath).toList(),
        List.of(),
        sink,
        config);
    var changes = new ArrayList<ComponentChange>();
    var notes = new ArrayList<String>();
    for (ManifestComponent c : chosen) {
      Optional<ManifestUpdateSink.Change> change = sink.change(c.fileName());
      Optional<String> etcdDowngrade =
          change.filter(x -> c == ManifestComponent.ETCD).flatMap(UpgradeSession::etcdDowngrade);
      if (etcdDowngrade.isPresent()) {
        // kubeadm never downgrades etcd: its data may not be readable by an older release.
        notes.add(etcdDowngrade.get());
        byte[] now = change.get().before().orElseThrow();
        changes.add(new ComponentChange(c, layout.manifest(c.fileName()), Optional.of(now), now));
      } else if (change.isPresent()) {
        changes.add(
            new ComponentChange(
                c, layout.manifest(c.fileName()), change.get().before(), change.get().after()));
      } else {
        // Not written: the phase found nothing to change, or (external etcd) renders nothing.
        Path manifest = layout.manifest(c.fileName());
        Optional<byte[]> now = new AtomicFileSink().read(manifest);
        if (now.isPresent()) {
          changes.add(new ComponentChange(c, manifest, now, now.get()));
        }
      }
    }
    return new Prepared(layout, current, target, config, changes, notes);
  }

  /**
   * The cluster's uploaded configuration with this node's part, read once per session (upgrade node
   * takes its target from it before preparing).
   */
  KubeadmConfig clusterConfig(InitOptions options) throws KubebootException, InterruptedException {
    if (clusterConfig == null) {
      clusterConfig = UpgradeConfigSource.fromCluster(options, context.out());
    }
    return clusterConfig;
  }

  /** Why etcd's manifest is kept: the target names an older etcd than the live manifest. */
  private static Optional<String> etcdDowngrade(ManifestUpdateSink.Change change) {
    Optional<String> before =
        change.before().flatMap(ManifestImages::image).flatMap(ManifestImages::tag);
    Optional<String> after = ManifestImages.image(change.after()).flatMap(ManifestImages::tag);
    Optional<EtcdVersion> was = before.flatMap(EtcdVersion::fromImageTag);
    Optional<EtcdVersion> next = after.flatMap(EtcdVersion::fromImageTag);
    if (was.isPresent() && next.isPresent() && next.get().compareTo(was.get()) < 0) {
      return Optional.of(
          "the desired etcd version "
              + after.get()
              + " is older than the one this node runs, "
              + before.get()
              + ": etcd is not downgraded and keeps its manifest");
    }
    return Optional.empty();
  }
}
