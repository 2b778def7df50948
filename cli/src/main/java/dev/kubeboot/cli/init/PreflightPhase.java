package dev.kubeboot.cli.init;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.config.ExternalEtcd;
import dev.kubeboot.cli.config.LocalEtcd;
import dev.kubeboot.cli.workflow.Phase;
import dev.kubeboot.cli.workflow.Step;
import dev.kubeboot.templates.ControlPlaneComponent;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Phase "preflight": kubeadm's checks that apply to kubeboot, with kubeadm's names so {@code
 * --ignore-preflight-errors} reads the same. Every check runs; all failures are reported together.
 */
final class PreflightPhase {
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final long MIN_MEMORY = 1700L * 1024 * 1024;
  private static final String RENDER_ONLY =
      "; not fatal: runner-start is skipped, this run starts nothing";

  /** One check's finding. */
  record Finding(String check, String message, boolean fatal) {}

  private PreflightPhase() {}

  static Phase<InitContext> phase() {
    return Step.of("preflight", "Run pre-flight checks", ctx -> run(ctx, false));
  }

  /**
   * @param externalEtcdFilesFollow a joining node that downloads the external etcd's client files
   *     later (download-certs): they cannot be checked yet, nor the endpoints with them, so the
   *     external etcd checks are left out, as kubeadm leaves them out for a control-plane join with
   *     a certificate key
   */
  static void run(InitContext ctx, boolean externalEtcdFilesFollow) throws Exception {
    ctx.printer().phase("preflight", "Running pre-flight checks");
    var errors = new ArrayList<String>();
    for (Finding f : check(ctx, externalEtcdFilesFollow)) {
      boolean ignored = ctx.preflightIgnored(f.check());
      if (f.fatal() && !ignored) {
        errors.add("\t[ERROR " + f.check() + "]: " + f.message());
      } else {
        ctx.printer().line("\t[WARNING " + f.check() + "]: " + f.message());
      }
    }
    if (!errors.isEmpty()) {
      throw new KubebootException(
          "[preflight] Some fatal errors occurred:\n"
              + String.join("\n", errors)
              + "\n[preflight] If you know what you are doing, you can make a check non-fatal with"
              + " `--ignore-preflight-errors=...`");
    }
  }

  static List<Finding> check(InitContext ctx) throws IOException, InterruptedException {
    return check(ctx, false);
  }

  static List<Finding> check(InitContext ctx, boolean externalEtcdFilesFollow)
      throws IOException, InterruptedException {
    var findings = new ArrayList<Finding>();
    SystemFacts system = ctx.system();
    KubeLayout layout = ctx.layout();
    boolean localEtcd = ctx.config().cluster().etcd() instanceof LocalEtcd;
    // A render-only run (runner-start skipped) starts nothing: the ports and the etcd data
    // directory are the runner's concern, checked fatally when it is started.
    boolean runs = ctx.runnerStarts();
    String rendersOnly = runs ? "" : RENDER_ONLY;
    if (!system.isRoot() && needsRoot(ctx)) {
      findings.add(
          new Finding(
              "IsPrivilegedUser",
              "user is not running as root; use --kubernetes-dir, --cert-dir and etcd.local.dataDir under a directory you own to run without root",
              true));
    }
    if (system.cpus() < 2) {
      findings.add(
          new Finding(
              "NumCPU",
              "the number of available CPUs " + system.cpus() + " is less than the required 2",
              true));
    }
    long memoryMb = system.memoryBytes() / (1024 * 1024);
    if (system.memoryBytes() < MIN_MEMORY) {
      findings.add(
          new Finding(
              "Mem",
              "the system RAM (" + memoryMb + " MB) is less than the minimum 1700 MB",
              true));
    }
    boolean anyOurs = false;
    for (ControlPlaneComponent c : ControlPlaneComponent.ORDERED) {
      if (c == ControlPlaneComponent.ETCD && !localEtcd) {
        continue;
      }
      Path manifest = layout.manifest(c.manifestFileName());
      boolean ours = ManifestRecord.ours(ctx.sink(), layout.manifestRecord(), manifest);
      anyOurs |= ours;
      if (!ours && ctx.sink().exists(manifest)) {
        findings.add(
            new Finding(
                "FileAvailable-" + manifest.toString().replace('/', '-'),
                manifest + " already exists and kubeboot did not write it",
                true));
      }
      for (int port : ports(ctx, c)) {
        if (!ours && !system.portFree(port)) {
          findings.add(
              new Finding("Port-" + port, "Port " + port + " is in use" + rendersOnly, runs));
        }
      }
      if (c == ControlPlaneComponent.ETCD && !ours) {
        dataDirFinding(Path.of(((LocalEtcd) ctx.config().cluster().etcd()).dataDir()), runs)
            .ifPresent(findings::add);
      }
    }
    int runnerPort = ctx.runnerStatusPort();
    if (!anyOurs && !system.portFree(runnerPort)) {
      findings.add(
          new Finding(
              "Port-" + runnerPort,
              "Port "
                  + runnerPort
                  + " is in use (the static-pod runner's status port, the kubelet's healthz port)"
                  + rendersOnly,
              runs));
    }
    if (system.swapOn()) {
      findings.add(
          new Finding(
              "Swap",
              "swap is on; kubeboot's static pods do not mind, but a kubelet joining this node later must be configured for it",
              false));
    }
    String node = ctx.config().init().nodeRegistration().name();
    if (node.length() > 253 || !DNS_SUBDOMAIN.matcher(node).matches()) {
      findings.add(
          new Finding(
              "Hostname",
              "the node name \""
                  + node
                  + "\" is not a valid DNS-1123 subdomain (lower-case letters, digits, '-' and '.'): set --node-name",
              false));
    }
    if (ctx.config().cluster().etcd() instanceof ExternalEtcd external
        && !externalEtcdFilesFollow) {
      findings.addAll(ExternalEtcdPreflight.check(external, runs));
    }
    return findings;
  }

  /** etcd would start on old data: fatal when this run starts it, else a warning. */
  private static Optional<Finding> dataDirFinding(Path dataDir, boolean runs) {
    String check = "DirAvailable-" + dataDir.toString().replace('/', '-');
    if (!Files.isDirectory(dataDir)) {
      return Optional.empty();
    }
    try (var entries = Files.list(dataDir)) {
      return entries.findAny().isPresent()
          ? Optional.of(
              new Finding(check, dataDir + " is not empty" + (runs ? "" : RENDER_ONLY), runs))
          : Optional.empty();
    } catch (IOException e) {
      String why = e instanceof AccessDeniedException ? "permission denied" : e.toString();
      return Optional.of(
          new Finding(
              check,
              "cannot look into "
                  + dataDir
                  + " ("
                  + why
                  + ") to see whether it is empty"
                  + (runs ? "" : RENDER_ONLY),
              runs));
    }
  }

  private static List<Integer> ports(InitContext ctx, ControlPlaneComponent c) {
    return switch (c) {
      case ETCD -> List.of(2379, 2380);
      case KUBE_APISERVER -> List.of(ctx.config().init().localAPIEndpoint().bindPort());
      case KUBE_CONTROLLER_MANAGER -> List.of(10257);
      case KUBE_SCHEDULER -> List.of(10259);
    };
  }

  private static boolean needsRoot(InitContext ctx) {
    List<Path> written =
        new ArrayList<>(List.of(ctx.layout().kubernetesDir(), ctx.layout().certDir()));
    // The runner makes the etcd data directory; a render-only run never touches it.
    if (ctx.runnerStarts() && ctx.config().cluster().etcd() instanceof LocalEtcd local) {
      written.add(Path.of(local.dataDir()));
    }
    for (Path p : written) {
      Path existing = p;
      while (existing != null && !Files.exists(existing)) {
        existing = existing.getParent();
      }
      if (existing != null && !Files.isWritable(existing)) {
        return true;
      }
      if (p.startsWith("/etc/kubernetes")) {
        return true;
      }
    }
    return false;
  }
}
