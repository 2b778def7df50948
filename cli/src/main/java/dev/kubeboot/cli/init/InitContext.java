package dev.kubeboot.cli.init;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.cluster.ClusterApi;
import dev.kubeboot.cli.config.KubeadmConfig;
import dev.kubeboot.cli.io.FileSink;
import dev.kubeboot.cli.output.Printer;
import dev.kubeboot.pki.CertificateIssuer;
import dev.kubeboot.pki.KubeadmCert;
import dev.kubeboot.templates.ControlPlaneInputs;
import dev.kubeboot.templates.KubeconfigRenderer;
import dev.kubeboot.templates.ManifestRenderer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The typed run data of one init: the defaulted configuration, where files go, the sink they go
 * through, and the tools the phases share. Built once by the command; phases only read it.
 */
public final class InitContext {
  private final KubeadmConfig config;
  private final KubeLayout layout;
  private final FileSink sink;
  private final Printer printer;
  private final Consumer<String> warnings;
  private final CertificateIssuer issuer;
  private final KeySupply keys;
  private final List<KubeadmCert> certTable;
  private final Supplier<ControlPlaneInputs> controlPlaneInputs;
  private final Set<String> ignoredPreflightErrors;
  private final SystemFacts system;
  private final RunnerControl runner;
  private final int runnerStatusPort;
  private final ClusterSetup cluster;
  private final ApiOpener apiOpener;
  private final boolean runnerStarts;
  private ClusterApi api;
  private ManifestRenderer manifestRenderer;
  private KubeconfigRenderer kubeconfigRenderer;
  private ControlPlaneInputs inputs;

  InitContext(
      KubeadmConfig config,
      KubeLayout layout,
      FileSink sink,
      Printer printer,
      Consumer<String> warnings,
      CertificateIssuer issuer,
      KeySupply keys,
      List<KubeadmCert> certTable,
      Supplier<ControlPlaneInputs> controlPlaneInputs,
      Set<String> ignoredPreflightErrors,
      SystemFacts system,
      RunnerControl runner,
      int runnerStatusPort,
      ClusterSetup cluster,
      ApiOpener apiOpener,
      boolean runnerStarts) {
    this.config = Objects.requireNonNull(config);
    this.layout = Objects.requireNonNull(layout);
    this.sink = Objects.requireNonNull(sink);
    this.printer = Objects.requireNonNull(printer);
    this.warnings = Objects.requireNonNull(warnings);
    this.issuer = Objects.requireNonNull(issuer);
    this.keys = Objects.requireNonNull(keys);
    this.certTable = List.copyOf(certTable);
    this.controlPlaneInputs = Objects.requireNonNull(controlPlaneInputs);
    this.ignoredPreflightErrors = Set.copyOf(ignoredPreflightErrors);
    this.system = Objects.requireNonNull(system);
    this.runner = Objects.requireNonNull(runner);
    this.runnerStatusPort = runnerStatusPort;
    this.cluster = Objects.requireNonNull(cluster);
    this.apiOpener = Objects.requireNonNull(apiOpener);
    this.runnerStarts = runnerStarts;
  }

  /** Opens the API for the API-side phases: the real one, or the dry run's. */
  @FunctionalInterface
  public interface ApiOpener {
    ClusterApi open(InitContext context) throws KubebootException;
  }

  public KubeadmConfig config() {
    return config;
  }

  public KubeLayout layout() {
    return layout;
  }

  public FileSink sink() {
    return sink;
  }

  public Printer printer() {
    return printer;
  }

  public void warn(String message) {
    warnings.accept(message);
  }

  CertificateIssuer issuer() {
    return issuer;
  }

  KeySupply keys() {
    return keys;
  }

  List<KubeadmCert> certTable() {
    return certTable;
  }

  Optional<KubeadmCert> cert(String name) {
    return certTable.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** Built on first use: it looks at the host (CA directories, the external-CA state of pki/). */
  public synchronized ControlPlaneInputs controlPlaneInputs() {
    if (inputs == null) {
      inputs = controlPlaneInputs.get();
    }
    return inputs;
  }

  synchronized ManifestRenderer manifestRenderer() {
    if (manifestRenderer == null) {
      manifestRenderer = new ManifestRenderer();
    }
    return manifestRenderer;
  }

  synchronized KubeconfigRenderer kubeconfigRenderer() {
    if (kubeconfigRenderer == null) {
      kubeconfigRenderer = new KubeconfigRenderer();
    }
    return kubeconfigRenderer;
  }

  boolean preflightIgnored(String checkName) {
    return ignoredPreflightErrors.contains("all")
        || ignoredPreflightErrors.contains(checkName.toLowerCase(java.util.Locale.ROOT));
  }

  SystemFacts system() {
    return system;
  }

  RunnerControl runner() {
    return runner;
  }

  /** The port the runner answers /healthz and /pods on (preflight checks it is free). */
  int runnerStatusPort() {
    return runnerStatusPort;
  }

  ClusterSetup cluster() {
    return cluster;
  }

  /** The API, opened on first use (the API-side phases come after the control plane is up). */
  public synchronized ClusterApi api() throws KubebootException {
    if (api == null) {
      api = apiOpener.open(this);
    }
    return api;
  }

  /** Closes the API client if one was opened. */
  public synchronized void closeApi() {
    if (api != null) {
      api.close();
      api = null;
    }
  }

  /**
   * Whether init with these skips starts the runner (runner-start not skipped). Without it the run
   * only renders files: what the runner would use (ports, the etcd data directory) is its concern.
   */
  boolean runnerStarts() {
    return runnerStarts;
  }
}
