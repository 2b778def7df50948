package dev.kubeboot.cli.init;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.UsageException;
import dev.kubeboot.cli.cluster.AdminBinding;
import dev.kubeboot.cli.cluster.CertificateKey;
import dev.kubeboot.cli.cluster.ClusterApi;
import dev.kubeboot.cli.cluster.ClusterClients;
import dev.kubeboot.cli.cluster.DryRunClusterApi;
import dev.kubeboot.cli.config.AdvertiseAddressDetector;
import dev.kubeboot.cli.config.ComponentConfigs;
import dev.kubeboot.cli.config.ConfigException;
import dev.kubeboot.cli.config.ConfigReader;
import dev.kubeboot.cli.config.InitConfigLoader;
import dev.kubeboot.cli.config.KubeadmConfig;
import dev.kubeboot.cli.config.LocalEtcd;
import dev.kubeboot.cli.io.AtomicFileSink;
import dev.kubeboot.cli.io.DryRunFileSink;
import dev.kubeboot.cli.io.FileSink;
import dev.kubeboot.cli.output.Printer;
import dev.kubeboot.cli.token.BootstrapTokenSpec;
import dev.kubeboot.cli.token.BootstrapTokens;
import dev.kubeboot.cli.workflow.PlannedStep;
import dev.kubeboot.cli.workflow.Workflow;
import dev.kubeboot.pki.CertificateIssuer;
import dev.kubeboot.pki.KeyAlgorithm;
import dev.kubeboot.pki.KeyPairs;
import dev.kubeboot.pki.KubeadmCerts;
import dev.kubeboot.runner.fs.TrustedPaths;
import dev.kubeboot.runner.manifest.GoDuration;
import dev.kubeboot.templates.InvalidInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Builds the run data of one init (or init phase) from flags and config, then runs a plan over it.
 */
public final class InitSession {
  private static final String RUNNER_START = "runner-start";
  private final PrintWriter out;
  private final PrintWriter err;
  private final Clock clock;
  private final Map<String, String> environment;
  private final SystemFacts system;
  private final RunnerControlFactory runners;

  /** Makes the runner control for a session (real, or the dry-run one). */
  @FunctionalInterface
  public interface RunnerControlFactory {
    RunnerControl create(InitOptions options, boolean dryRun);
  }

  public InitSession(
      PrintWriter out,
      PrintWriter err,
      Clock clock,
      Map<String, String> environment,
      RunnerControlFactory runners) {
    this(out, err, clock, environment, SystemFacts.host(), runners);
  }

  InitSession(
      PrintWriter out,
      PrintWriter err,
      Clock clock,
      Map<String, String> environment,
      SystemFacts system,
      RunnerControlFactory runners) {
    this.out = out;
    this.err = err;
    this.clock = clock;
    this.environment = Map.copyOf(environment);
    this.system = system;
    this.runners = runners;
  }

  /**
   * Runs the chosen phases of init.
   *
   * @param only phase paths to run (empty: all)
   * @param skip phase paths to leave out (added to the config's skipPhases)
   */
  public List<String> run(InitOptions options, Collection<String> only, Collection<String> skip)
      throws Exception {
    return run(
        options,
        only,
        skip,
        options.node.dryRun ? new DryRunFileSink(out, true) : new AtomicFileSink());
  }

  /**
   * Runs the chosen phases with every file going through {@code sink} (day-2 commands wrap the real
   * sink to diff, back up and report what the phases write).
   *
   * @return the paths of the steps that ran
   */
  public List<String> run(
      InitOptions options, Collection<String> only, Collection<String> skip, FileSink sink)
      throws Exception {
    return run(options, only, skip, sink, loadConfig(options));
  }

  /**
   * The same with a configuration already loaded (an upgrade renders with the cluster's, not with
   * --config or the defaults).
   */
  public List<String> run(
      InitOptions options,
      Collection<String> only,
      Collection<String> skip,
      FileSink sink,
      KubeadmConfig config)
      throws Exception {
    var printer = new Printer(out);
    Workflow<InitContext> workflow = InitPhases.workflow();
    var allSkips = new java.util.ArrayList<String>(skip);
    allSkips.addAll(config.init().skipPhases());
    List<PlannedStep<InitContext>> plan =
        withoutApiPhasesUnlessWaited(workflow.plan(only, allSkips), only, printer);
    boolean runnerStarts =
        workflow.plan(List.of(), allSkips).stream().anyMatch(s -> s.path().equals(RUNNER_START));
    InitContext context =
        context(
            options,
            config,
            sink,
            printer,
            runnerStarts,
            options.node.dryRun ? InitSession::dryRunApi : InitSession::openApi);
    List<String> unmet = Workflow.unmetPrerequisites(plan, context);
    if (!unmet.isEmpty()) {
      throw new dev.kubeboot.cli.KubebootException(String.join("\n", unmet));
    }
    requireTrustedDirectories(context, options);
    if (only.isEmpty()) {
      printer.phase("init", "Using Kubernetes version: %s", config.cluster().kubernetesVersion());
    }
    context.keys().prefetch(InitPhases.keysNeeded(plan, context));
    try {
      Workflow.run(plan, context, step -> logPhaseStart(printer, context, step));
    } finally {
      context.keys().close();
      context.closeApi();
    }
    return plan.stream().map(PlannedStep::path).toList();
  }

  /**
   * A whole init that does not wait for the control plane (wait-control-plane skipped, as for
   * writing the files only) leaves out the phases that need the API server, and says so; they can
   * run later with "kubeboot init phase".
   */
  private static List<PlannedStep<InitContext>> withoutApiPhasesUnlessWaited(
      List<PlannedStep<InitContext>> plan, Collection<String> only, Printer printer) {
    if (!only.isEmpty() || plan.stream().anyMatch(p -> p.path().equals("wait-control-plane"))) {
      return plan;
    }
    List<PlannedStep<InitContext>> kept =
        plan.stream().filter(p -> !InitPhases.API_PHASES.contains(p.topLevel())).toList();
    if (kept.size() != plan.size()) {
      printer.phase(
          "init",
          "wait-control-plane is skipped, so the phases that need the API server are skipped too"
              + " (%s); run them later with \"kubeboot init phase <phase>\"",
          String.join(", ", InitPhases.API_PHASES));
    }
    return kept;
  }

  private String lastTopLevel;

  /**
   * Refuses, before anything is written, directories another user owns or can write: as root, their
   * owner could swap the manifests the runner runs as root, or read the keys.
   */
  public static void requireTrustedDirectories(InitContext ctx, InitOptions options)
      throws IOException {
    var dirs =
        new ArrayList<>(
            List.of(
                ctx.layout().kubernetesDir(), ctx.layout().manifestDir(), ctx.layout().certDir()));
    if (ctx.runnerStarts()) {
      dirs.add(options.runnerStateDir());
    }
    TrustedPaths trust = TrustedPaths.forThisProcess();
    for (Path dir : dirs) {
      trust.requireTrusted(dir);
    }
    // etcd, run as root, writes the cluster's state there; the directory itself may belong to
    // etcd's service user (Debian's etcd package), the way to it may not.
    if (ctx.runnerStarts()
        && ctx.config().cluster().etcd() instanceof LocalEtcd local
        && local.dataDir() != null) {
      trust.requireTrustedWayTo(Path.of(local.dataDir()));
    }
  }

  private void logPhaseStart(Printer printer, InitContext ctx, PlannedStep<InitContext> step) {
    String top = step.topLevel();
    if (top.equals(lastTopLevel)) {
      return;
    }
    lastTopLevel = top;
    switch (top) {
      case "certs" ->
          printer.phase("certs", "Using certificateDir folder \"%s\"", ctx.layout().certDir());
      case "kubeconfig" ->
          printer.phase(
              "kubeconfig", "Using kubeconfig folder \"%s\"", ctx.layout().kubeconfigDir());
      case "control-plane" ->
          printer.phase(
              "control-plane", "Using manifest folder \"%s\"", ctx.layout().manifestDir());
      default -> {}
    }
  }

  /**
   * The defaulted configuration of these flags: the config file (if any) with the flags applied.
   */
  public KubeadmConfig loadConfig(InitOptions options) throws UsageException {
    try {
      return loadConfig(
          options,
          options.config == null ? KubeadmConfig.empty() : new ConfigReader().read(options.config));
    } catch (ConfigException | InvalidInputException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  /** The same for a configuration read elsewhere (the cluster's uploaded one), flags applied. */
  public KubeadmConfig loadConfig(InitOptions options, KubeadmConfig read) throws UsageException {
    try {
      var loader =
          new InitConfigLoader(
              options.nodePaths(),
              InitSession::hostname,
              () -> new AdvertiseAddressDetector().detect());
      KubeadmConfig config = loader.resolve(read, options.flags());
      config.warnings().forEach(w -> err.println("W " + w));
      err.flush();
      return config;
    } catch (ConfigException | InvalidInputException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  /**
   * The run data of one node for these options and this (resolved) configuration; join builds it
   * from a configuration the cluster gave.
   *
   * @param runnerStarts whether the run starts the runner (see {@link InitContext#runnerStarts()})
   * @param apiOpener how the API-side phases reach the API server
   */
  public InitContext context(
      InitOptions options,
      KubeadmConfig config,
      FileSink sink,
      Printer printer,
      boolean runnerStarts,
      InitContext.ApiOpener apiOpener)
      throws UsageException {
    Path kubernetesDir =
        options.node.kubernetesDir != null
            ? options.node.kubernetesDir
            : KubeLayout.DEFAULT_KUBERNETES_DIR;
    KubeLayout layout = KubeLayout.of(kubernetesDir, Path.of(config.cluster().certificatesDir()));
    KeyAlgorithm algorithm =
        KeyAlgorithm.parse(config.cluster().encryptionAlgorithm().kubeadmName());
    var random = new SecureRandom();
    var issuer = new CertificateIssuer(clock.instant(), random);
    var warnings =
        (java.util.function.Consumer<String>)
            w -> {
              err.println("W " + w);
              err.flush();
            };
    try {
      var certTable = KubeadmCerts.table(ConfigMapping.certInputs(config), warnings);
      var ignored =
          options.node.ignorePreflightErrors.stream()
              .map(s -> s.strip().toLowerCase(Locale.ROOT))
              .collect(Collectors.toSet());
      ignored.addAll(
          config.init().nodeRegistration().ignorePreflightErrors().stream()
              .map(s -> s.toLowerCase(Locale.ROOT))
              .toList());
      return new InitContext(
          config,
          layout,
          sink,
          printer,
          warnings,
          issuer,
          new KeySupply(new KeyPairs(random), algorithm),
          certTable,
          () ->
              ConfigMapping.controlPlaneInputs(
                  config, layout, environment, Files::isDirectory, externalCa(sink, layout)),
          ignored,
          system,
          runners.create(options, options.node.dryRun),
          options.node.runner.statusPort(),
          clusterSetup(options, config, layout, random),
          apiOpener,
          runnerStarts);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  /**
   * Tokens, certificate key and kubeconfig of the API phases, checked before anything runs: a
   * malformed token or key is a usage error. The dry run withholds both from its output.
   */
  private ClusterSetup clusterSetup(
      InitOptions options, KubeadmConfig config, KubeLayout layout, SecureRandom random)
      throws UsageException {
    try {
      Optional<Duration> ttl = Optional.empty();
      if (options.tokenTtl != null) {
        ttl =
            Optional.of(
                GoDuration.parse(options.tokenTtl)
                    .orElseThrow(
                        () ->
                            new UsageException(
                                "--token-ttl: invalid duration \""
                                    + options.tokenTtl
                                    + "\"; expected a Go duration such as 24h0m0s, 90m or 0 (never"
                                    + " expires)")));
      }
      List<BootstrapTokenSpec> tokens =
          BootstrapTokens.resolve(
              config.init().bootstrapTokens(), Optional.ofNullable(options.token), ttl, random);
      Optional<CertificateKey> key = Optional.empty();
      String keySource =
          options.certificateKey != null ? "--certificate-key" : "InitConfiguration.certificateKey";
      Optional<String> keyText =
          Optional.ofNullable(options.certificateKey).or(() -> config.init().certificateKey());
      if (keyText.isPresent()) {
        key =
            Optional.of(
                CertificateKey.parse(keyText.get())
                    .orElseThrow(
                        () -> new UsageException(CertificateKey.formatProblem(keySource))));
      } else if (options.uploadCerts) {
        key = Optional.of(CertificateKey.generate(random));
      }
      return new ClusterSetup(
          options.kubeconfig != null
              ? options.kubeconfig.toAbsolutePath()
              : layout.kubeconfig("admin.conf"),
          tokens,
          options.uploadCerts,
          key,
          options.skipTokenPrint || options.node.dryRun,
          options.skipCertificateKeyPrint || options.node.dryRun,
          ComponentConfigs.read(options.config),
          environment,
          clock,
          random);
    } catch (IllegalArgumentException | ConfigException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  private static ClusterApi openApi(InitContext ctx) throws KubebootException {
    Duration timeout = ctx.config().init().timeouts().kubernetesAPICall();
    Clock clock = ctx.cluster().clock();
    ClusterApi api = ClusterClients.open(ctx.cluster().kubeconfig(), timeout, clock);
    try {
      AdminBinding.ensure(api, ctx.layout().kubeconfig("super-admin.conf"), timeout, clock);
    } catch (InterruptedException e) {
      api.close();
      Thread.currentThread().interrupt();
      throw new KubebootException("interrupted while opening the API", e);
    } catch (KubebootException e) {
      api.close();
      throw e;
    }
    return api;
  }

  /**
   * The API through {@code kubeconfig} as it is, for a node joining a cluster whose admin binding
   * the first node made.
   */
  public static ClusterApi kubeconfigApi(InitContext ctx) throws KubebootException {
    return ClusterClients.open(
        ctx.cluster().kubeconfig(),
        ctx.config().init().timeouts().kubernetesAPICall(),
        ctx.cluster().clock());
  }

  /** The dry run's API: says what it would write, reads nothing. */
  public static ClusterApi dryRunApi(InitContext ctx) {
    var endpoint = ctx.config().init().localAPIEndpoint();
    return new DryRunClusterApi(
        ctx.printer(),
        dev.kubeboot.templates.ApiServerUrls.local(
            endpoint.advertiseAddress(), endpoint.bindPort()));
  }

  private static boolean externalCa(FileSink sink, KubeLayout layout) {
    try {
      return sink.exists(layout.cert("ca.crt")) && !sink.exists(layout.cert("ca.key"));
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** This host's name as the kernel has it (the node name default, before lower-casing). */
  public static String hostname() {
    try {
      String fromFile = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
      if (!fromFile.isEmpty()) {
        return fromFile;
      }
    } catch (java.io.IOException e) {
      // fall through to the JDK's view
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }
}
