package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import dev.kubeboot.cli.ExitCodes;
import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.init.InitOptions;
import dev.kubeboot.cli.init.InitSession;
import dev.kubeboot.cli.init.KubeLayout;
import dev.kubeboot.cli.init.RunnerControls;
import dev.kubeboot.cli.io.AtomicFileSink;
import dev.kubeboot.cli.output.Printer;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Regenerates static pod manifests from the (changed) config with the init phases etcd/local and
 * control-plane, writing only the files whose content changes.
 */
@Command(
    name = "manifests",
    mixinStandardHelpOptions = true,
    description = {
      "Regenerate the control-plane and etcd static Pod manifests from the configuration.",
      "Only files whose content changes are written (atomically), so the runner re-creates only the pods whose spec"
          + " changed; each replaced manifest is kept under <runner state dir>/manifest-backups."
    })
public final class ManifestsCommand implements Callable<Integer> {
  private final CliContext context;

  @Mixin InitOptions options;

  @Option(names = "--diff", description = "Print a unified diff of each manifest that changes.")
  boolean diff;

  @Parameters(
      paramLabel = "COMPONENT",
      arity = "0..*",
      description = "etcd, kube-apiserver, kube-controller-manager, kube-scheduler (default: all).")
  List<String> components = new ArrayList<>();

  public ManifestsCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    var chosen = new LinkedHashSet<ManifestComponent>();
    for (String name : components) {
      chosen.add(ManifestComponent.parse(name));
    }
    if (chosen.isEmpty()) {
      chosen.addAll(List.of(ManifestComponent.values()));
    }
    Path kubernetesDir = options.kubernetesDirOrDefault();
    Path manifestDir = KubeLayout.of(kubernetesDir, kubernetesDir.resolve("pki")).manifestDir();
    if (!options.dryRun()) {
      requireWritable(manifestDir);
    }
    Path backups = options.runnerStateDir().resolve("manifest-backups");
    var clock = Clock.systemUTC();
    var sink =
        new ManifestUpdateSink(new AtomicFileSink(), manifestDir, backups, clock, options.dryRun());
    // The phases' own progress lines ("Creating static Pod manifest ...") would tell of writes that
    // did not happen; this command reports per file instead.
    var quiet = new PrintWriter(Writer.nullWriter());
    var session =
        new InitSession(quiet, context.err(), clock, System.getenv(), RunnerControls::create);
    try {
      session.run(
          options, chosen.stream().map(ManifestComponent::phasePath).toList(), List.of(), sink);
    } catch (java.nio.file.FileSystemException e) {
      if (e.getFile() != null && Path.of(e.getFile()).toAbsolutePath().startsWith(manifestDir)) {
        throw new KubebootException(
            "cannot write in the manifest directory "
                + manifestDir
                + " ("
                + e.getMessage()
                + "): make it writable, or run kubeboot as root",
            e);
      }
      throw e;
    }
    report(chosen, manifestDir, sink);
    return ExitCodes.OK;
  }

  private void report(
      Iterable<ManifestComponent> chosen, Path manifestDir, ManifestUpdateSink sink) {
    var printer = new Printer(context.out());
    String tag = options.dryRun() ? "dryrun" : "manifests";
    for (ManifestComponent component : chosen) {
      Path file = manifestDir.resolve(component.fileName());
      Optional<ManifestUpdateSink.Change> change = sink.change(component.fileName());
      if (change.isEmpty()) {
        if (Files.exists(file)) {
          printer.phase(tag, "%s: unchanged", file);
        } else {
          printer.phase(tag, "%s: not generated (external etcd)", file);
        }
        continue;
      }
      var c = change.get();
      if (diff) {
        UnifiedDiff.of(
                component.fileName(),
                c.before().map(b -> new String(b, StandardCharsets.UTF_8)),
                new String(c.after(), StandardCharsets.UTF_8))
            .forEach(printer::line);
      }
      if (options.dryRun()) {
        printer.phase(tag, "%s: would be %s", file, c.before().isPresent() ? "updated" : "created");
      } else if (c.backup().isPresent()) {
        printer.phase(tag, "%s: updated (previous version kept as %s)", file, c.backup().get());
      } else {
        printer.phase(tag, "%s: created", file);
      }
    }
  }

  private static void requireWritable(Path manifestDir) throws KubebootException {
    if (Files.exists(manifestDir)
        && !(Files.isDirectory(manifestDir) && Files.isWritable(manifestDir))) {
      throw new KubebootException(
          "the manifest directory "
              + manifestDir
              + " is not a writable directory: make it writable (check chattr/mount flags), or run kubeboot as root");
    }
  }
}
