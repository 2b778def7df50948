package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import dev.kubeboot.cli.ExitCodes;
import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.UsageException;
import dev.kubeboot.cli.config.ConfigException;
import dev.kubeboot.cli.config.ConfigReader;
import dev.kubeboot.cli.config.KubeadmConfig;
import dev.kubeboot.cli.config.ResetConfigReader;
import dev.kubeboot.cli.etcd.EtcdException;
import dev.kubeboot.cli.etcd.EtcdJoinRecord;
import dev.kubeboot.cli.init.InitOptions;
import dev.kubeboot.cli.init.KubeLayout;
import dev.kubeboot.cli.init.RunnerUnit;
import dev.kubeboot.cli.io.AtomicFileSink;
import dev.kubeboot.cli.io.FileSink;
import dev.kubeboot.cli.options.RunnerOptions;
import dev.kubeboot.cli.output.Printer;
import dev.kubeboot.runner.RunnerClient;
import dev.kubeboot.runner.RunnerPidFile;
import dev.kubeboot.runner.fs.TrustedPaths;
import dev.kubeboot.runner.manifest.GoDuration;
import dev.kubeboot.runner.runtime.DirectoryTrees;
import dev.kubeboot.runner.status.PodStatus;
import dev.kubeboot.runner.status.RunnerStatus;
import dev.kubeboot.templates.InvalidInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * kubeadm reset for a kubeboot node: stops the static pods by removing their manifests (the runner
 * sees the files go), stops the runner init started, then removes what init wrote and nothing else.
 */
@Command(
    name = "reset",
    mixinStandardHelpOptions = true,
    description = {
      "Performs a best effort revert of changes made to this host by 'kubeboot init'.",
      "Removes the static Pod manifests (and waits for a runner serving them to stop the pods), stops the runner"
          + " 'kubeboot init' started, then removes the kubeconfigs, the certificates and keys of kubeadm's table, the"
          + " sa key pair, the contents of the etcd data directory init set up and init's records. Other files in those directories stay."
    })
public final class ResetCommand implements Callable<Integer> {
  private final CliContext context;
  private final RunnerUnit unit;

  @Mixin NodeOptions node;

  @Option(
      names = {"-f", "--force"},
      description = "Reset the node without prompting for confirmation.")
  boolean force;

  @Option(
      names = "--dry-run",
      description = "Don't apply any changes; just output what would be done.")
  boolean dryRun;

  @Option(
      names = "--force-etcd-member-removal",
      description =
          "Remove this node's etcd member even when the remaining members would lose their quorum.")
  boolean forceEtcdMemberRemoval;

  @Mixin RunnerOptions runnerOptions = new RunnerOptions();

  @Option(
      names = ResetPlan.UNRECORDED_FLAG,
      description =
          "Also empty an etcd data directory that 'kubeboot init' did not record as the one it set"
              + " up (a node set up by other means). System directories are refused regardless.")
  boolean cleanUnrecordedEtcdDataDir;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description =
          "How long to wait for the etcd cluster to answer, for the runner to stop the pods and"
              + " then to exit (default: the config's timeouts.etcdAPICall, else 1m).")
  String timeout;

  @Option(
      names = "--cleanup-tmp-dir",
      description =
          "Also empty <kubernetes-dir>/tmp, where upgrade keeps its manifest and etcd backups.")
  boolean cleanupTmpDir;

  @Option(
      names = "--skip-phases",
      split = ",",
      paramLabel = "PHASE",
      description =
          "Phases to skip: preflight (the confirmation question), remove-etcd-member (leaving the"
              + " etcd cluster), cleanup-node (everything else).")
  List<String> skipPhases;

  public ResetCommand(CliContext context) {
    this(context, RunnerUnit.host());
  }

  ResetCommand(CliContext context, RunnerUnit unit) {
    this.context = context;
    this.unit = unit;
  }

  @Override
  public Integer call() throws Exception {
    // kubeadm reset --config takes a ResetConfiguration; kubeboot's reset has always read init's
    // configuration there too (for the certificate directory and etcd): the file may hold either
    // or both.
    ResetConfigReader.Reading fromFile = readResetConfiguration();
    ResetSettings settings =
        ResetSettings.of(
            new ResetSettings.Flags(
                force, dryRun, cleanupTmpDir, skipPhases, timeout, node.certDir),
            fromFile.config(),
            node.config);
    Duration wait = settings.timeout();
    InitOptions options =
        InitOptions.forNode(
            null, node.kubernetesDir, settings.certDir().orElse(null), runnerOptions);
    KubeadmConfig config =
        CertsCommand.loadConfig(
            context,
            options,
            node.config == null
                    || (fromFile.config().isPresent() && !fromFile.holdsInitConfiguration())
                ? KubeadmConfig.empty()
                : readInitConfiguration(node.config));
    KubeLayout layout = options.layout(config);
    Path stateDir = options.runnerStateDir();
    Path pidFile = stateDir.resolve(RunnerPidFile.FILE_NAME);
    var printer = new Printer(context.out());
    // Another user who controls one of these could point reset's deletes elsewhere.
    TrustedPaths trust = TrustedPaths.forThisProcess();
    for (Path dir :
        List.of(layout.kubernetesDir(), layout.manifestDir(), layout.certDir(), stateDir)) {
      trust.requireTrusted(dir);
    }
    FileSink sink = new AtomicFileSink();
    boolean cleanup = settings.runs(ResetPhase.CLEANUP_NODE);
    ResetPlan plan =
        cleanup
            ? ResetPlan.of(
                config,
                layout,
                sink,
                stateDir,
                cleanUnrecordedEtcdDataDir,
                settings.cleanupTmpDir(),
                this::warn)
            : ResetPlan.NOTHING;
    RunnerStopper.Found runner =
        cleanup ? RunnerStopper.find(stateDir) : new RunnerStopper.NoPidFile();
    // The runner under systemd (init handed it over, or an operator enabled the unit) would be
    // started again by its Restart=always: the unit is disabled and stopped first.
    RunnerUnit.Stop unitStop = cleanup ? unit.plan() : new RunnerUnit.Stop(false, false);
    RunnerClient client = options.runnerClient();
    Optional<RunnerStatus> serving =
        cleanup && client.identify(layout.manifestDir()) instanceof RunnerClient.Serving s
            ? Optional.of(s.status())
            : Optional.empty();
    if (!cleanup) {
      printer.phase("reset", "Skipping phase cleanup-node: no file, pod or runner is touched");
    }

    if (settings.dryRun()) {
      describe(printer, "dryrun", "Would", plan, runner, unitStop, serving, pidFile);
      return ExitCodes.OK;
    }
    if (cleanup
        && plan.isEmpty()
        && !(runner instanceof RunnerStopper.Running)
        && unitStop.isEmpty()) {
      printer.phase(
          "reset",
          "Nothing to reset: no file init writes was found under %s and %s",
          layout.kubernetesDir(),
          layout.certDir());
      return ExitCodes.OK;
    }
    // Read before reset deletes kubelet.conf: the Node object to delete once this node has left.
    Optional<String> nodeName =
        LocalNode.nodeNameIfKnown(layout.kubernetesDir().resolve("kubelet.conf"));
    Path etcdManifest = layout.manifestDir().resolve("etcd.yaml");
    Optional<EtcdJoinRecord> joined =
        sink.read(layout.etcdJoinRecord()).flatMap(EtcdJoinRecord::parse);
    EtcdMemberLeave.Step etcdStep =
        settings.runs(ResetPhase.REMOVE_ETCD_MEMBER)
            ? EtcdMemberLeave.plan(
                etcdManifest, joined, layout.certDir(), forceEtcdMemberRemoval, wait)
            : new EtcdMemberLeave.Nothing("phase remove-etcd-member skipped");
    if (etcdStep instanceof EtcdMemberLeave.Refuse refuse) {
      throw new KubebootException("refusing to reset this node: " + refuse.reason());
    }
    describe(printer, "reset", "Will", plan, runner, unitStop, serving, pidFile);
    if (!settings.force() && settings.runs(ResetPhase.PREFLIGHT) && !confirmed(printer)) {
      throw new KubebootException("aborted reset operation");
    }
    switch (etcdStep) {
      case EtcdMemberLeave.Remove remove -> {
        try {
          EtcdMemberLeave.remove(remove, layout.certDir(), wait);
        } catch (EtcdException e) {
          throw new KubebootException(
              "cannot remove etcd member "
                  + remove.member().displayName()
                  + " from the etcd cluster ("
                  + e.getMessage()
                  + "); nothing was reset, try again once the cluster is healthy",
              e);
        }
        printer.phase(
            "reset",
            "Removed etcd member %s (%s) from the etcd cluster",
            remove.member().displayName(),
            remove.member().idHex());
      }
      case EtcdMemberLeave.Unreachable u ->
          printer.phase(
              "reset",
              "WARNING: could not ask the etcd cluster to remove this node's member (peer URL %s):"
                  + " %s; remove it by hand with etcdctl member remove",
              u.peerUrl(),
              u.why());
      case EtcdMemberLeave.Nothing n -> printer.phase("reset", "etcd member: %s", n.why());
      case EtcdMemberLeave.Refuse r -> throw new IllegalStateException("refused above");
    }
    for (Path manifest : plan.manifests()) {
      sink.delete(manifest);
    }
    if (!plan.manifests().isEmpty()) {
      printer.phase("reset", "Removed the static Pod manifests from \"%s\"", layout.manifestDir());
    }
    if (serving.isPresent()) {
      awaitPodsGone(printer, client, serving.get().pid(), plan.manifests(), wait);
    }
    if (unitStop.disable()) {
      printer.phase("reset", "Disabling and stopping %s", RunnerUnit.UNIT);
    }
    unit.stop(unitStop);
    if (unitStop.removeFlags()) {
      printer.phase("reset", "Removed the runner's flags file %s", unit.flagsFile());
    }
    if (unitStop.disable()) {
      // systemd stopped it: what is left of its pid file is looked at again.
      runner = RunnerStopper.find(stateDir);
    }
    switch (runner) {
      case RunnerStopper.Running running -> {
        printer.phase("reset", "Stopping the static-pod runner (pid %d)", running.process().pid());
        boolean killed = new RunnerStopper(wait).stop(running.process());
        printer.phase(
            "reset",
            killed ? "The runner did not stop within %s: killed it" : "The runner stopped",
            GoDuration.format(wait));
        sink.delete(pidFile);
      }
      case RunnerStopper.Stale stale -> {
        printer.phase(
            "reset",
            "Removing the stale pid file %s (pid %d is no kubeboot runner)",
            pidFile,
            stale.pid());
        sink.delete(pidFile);
      }
      case RunnerStopper.NoPidFile none -> {}
    }
    // A node that left a cluster which lives on (its etcd member was removed) takes its Node
    // object with it, through admin.conf's server (the load balancer on an HA cluster). Only
    // now: the runner, like a kubelet, registers its Node again while it runs.
    if (cleanup && etcdStep instanceof EtcdMemberLeave.Remove && nodeName.isPresent()) {
      NodeRemoval.delete(layout.kubernetesDir().resolve("admin.conf"), nodeName.get(), printer);
    }
    if (plan.etcdDataDir().isPresent()) {
      printer.phase(
          "reset", "Deleting contents of the etcd data directory %s", plan.etcdDataDir().get());
      emptyDirectory(plan.etcdDataDir().get());
    }
    if (plan.tmpDir().isPresent()) {
      printer.phase("reset", "Deleting contents of %s", plan.tmpDir().get());
      emptyDirectory(plan.tmpDir().get());
    }
    if (!cleanup) {
      printer.phase(
          "reset", "Done: phase cleanup-node was skipped, this node's files are as they were");
      return ExitCodes.OK;
    }
    for (Path file : plan.files()) {
      sink.delete(file);
    }
    printer.phase("reset", "Deleted %d kubeconfig, certificate and key files", plan.files().size());
    for (Path dir : plan.directories()) {
      if (isEmptyDirectory(dir)) {
        sink.delete(dir);
      }
    }
    printer.phase(
        "reset",
        "The node is reset. Files other than init's in %s were left as they were.",
        layout.kubernetesDir());
    return ExitCodes.OK;
  }

  private void describe(
      Printer printer,
      String tag,
      String verb,
      ResetPlan plan,
      RunnerStopper.Found runner,
      RunnerUnit.Stop unitStop,
      Optional<RunnerStatus> serving,
      Path pidFile) {
    for (Path manifest : plan.manifests()) {
      printer.phase(tag, "%s remove %s", verb, manifest);
    }
    serving.ifPresent(
        s ->
            printer.phase(
                tag,
                "%s wait for the runner (pid %d) to stop the %d pods of those manifests",
                verb,
                s.pid(),
                podsOf(s, plan.manifests()).size()));
    if (unitStop.disable()) {
      printer.phase(tag, "%s disable and stop %s (systemctl disable --now)", verb, RunnerUnit.UNIT);
    }
    if (unitStop.removeFlags()) {
      printer.phase(tag, "%s remove the runner's flags file %s", verb, unit.flagsFile());
    }
    switch (runner) {
      case RunnerStopper.Running running ->
          printer.phase(
              tag,
              "%s stop the static-pod runner (pid %d, from %s)",
              verb,
              running.process().pid(),
              pidFile);
      case RunnerStopper.Stale stale ->
          printer.phase(tag, "%s remove the stale pid file %s", verb, pidFile);
      case RunnerStopper.NoPidFile none -> {}
    }
    plan.etcdDataDir()
        .ifPresent(
            dir ->
                printer.phase(
                    tag, "%s remove the contents of the etcd data directory %s", verb, dir));
    for (Path file : plan.files()) {
      printer.phase(tag, "%s remove %s", verb, file);
    }
    for (Path dir : plan.directories()) {
      printer.phase(tag, "%s remove the directory %s if it is left empty", verb, dir);
    }
    plan.tmpDir().ifPresent(dir -> printer.phase(tag, "%s remove the contents of %s", verb, dir));
  }

  /** The file's ResetConfiguration, if --config holds one; its warnings are shown here. */
  private ResetConfigReader.Reading readResetConfiguration() throws UsageException {
    if (node.config == null) {
      return new ResetConfigReader.Reading(Optional.empty(), false, List.of());
    }
    ResetConfigReader.Reading reading;
    try {
      reading = new ResetConfigReader().read(node.config);
    } catch (ConfigException e) {
      throw new UsageException(e.getMessage(), e);
    }
    reading.warnings().forEach(this::warn);
    return reading;
  }

  /** Init's configuration from the file; a ResetConfiguration beside it is read above. */
  private static KubeadmConfig readInitConfiguration(Path file) throws UsageException {
    try {
      return new ConfigReader("ResetConfiguration").read(file);
    } catch (ConfigException | InvalidInputException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  private void warn(String message) {
    context.err().println("W " + message);
    context.err().flush();
  }

  private boolean confirmed(Printer printer) throws IOException {
    var out = printer.writer();
    out.print("[reset] Are you sure you want to proceed? [y/N]: ");
    out.flush();
    String answer =
        new BufferedReader(new InputStreamReader(context.in(), StandardCharsets.UTF_8)).readLine();
    return answer != null && List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT));
  }

  /**
   * Waits until the runner runs no pod of the removed manifests; pods of other manifests in the
   * directory (a user's own) are none of reset's business and are not waited for.
   */
  private void awaitPodsGone(
      Printer printer, RunnerClient client, long pid, List<Path> removed, Duration wait)
      throws InterruptedException {
    printer.phase(
        "reset",
        "Waiting up to %s for the runner to stop the static Pods of the removed manifests",
        GoDuration.format(wait));
    long start = System.nanoTime();
    long deadline = start + wait.toNanos();
    while (true) {
      // Only the runner that was checked counts: another one on the port stops nothing of ours.
      Optional<RunnerStatus> status = client.status().filter(s -> s.pid() == pid);
      List<String> left =
          status.map(s -> podsOf(s, removed)).orElse(List.of()).stream()
              .map(p -> p.key().name())
              .toList();
      if (left.isEmpty()) {
        printer.phase(
            "reset",
            "The static Pods are stopped (after %s)",
            GoDuration.format(Duration.ofNanos(System.nanoTime() - start).withNanos(0)));
        return;
      }
      if (System.nanoTime() > deadline) {
        context
            .err()
            .printf(
                "W the runner still runs %d pods of the removed manifests after %s: %s; going on"
                    + " with the reset%n",
                left.size(), GoDuration.format(wait), left);
        context.err().flush();
        return;
      }
      Thread.sleep(200);
    }
  }

  /** The runner's pods whose manifest is one of {@code manifests}. */
  private static List<PodStatus> podsOf(RunnerStatus status, List<Path> manifests) {
    List<Path> files = manifests.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    return status.pods().stream()
        .filter(p -> files.contains(Path.of(p.source()).toAbsolutePath().normalize()))
        .toList();
  }

  /**
   * As kubeadm's CleanDir: the directory itself stays (a package or a mount may own it). Each entry
   * goes through the no-follow recursive delete: a link inside is removed, never followed.
   */
  private static void emptyDirectory(Path dir) throws IOException {
    List<Path> entries;
    try (Stream<Path> list = Files.list(dir)) {
      entries = list.toList();
    }
    for (Path entry : entries) {
      DirectoryTrees.delete(dir, entry);
    }
  }

  private static boolean isEmptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }
}
