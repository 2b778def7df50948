package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import dev.kubeboot.cli.ExitCodes;
import dev.kubeboot.cli.UsageException;
import dev.kubeboot.cli.check.Finding;
import dev.kubeboot.cli.check.NodeChecker;
import dev.kubeboot.cli.config.ConfigException;
import dev.kubeboot.cli.config.ConfigReader;
import dev.kubeboot.cli.config.HostPort;
import dev.kubeboot.cli.init.KubeLayout;
import dev.kubeboot.cli.output.GoJson;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * kubeboot check: whether the manifests, certificates and kubeconfigs of this node agree, offline
 * (nothing needs to run). Exit 0 when everything checked passed, 1 when anything did not.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Check that this node's manifests, certificates and kubeconfigs agree.",
      "Every hostPath a manifest mounts exists; each certificate a component's flags name chains to"
          + " the CA file the same component trusts, matches its key and is valid now; the API"
          + " server's certificate covers the advertise address and the control-plane endpoint,"
          + " etcd's its advertise URLs; every CA is self-signed and matches its key; each"
          + " kubeconfig carries the cluster CA and a client certificate it signed, with its key."
          + " Exits 0 when all pass, 1 otherwise."
    })
public final class CheckCommand implements Callable<Integer> {
  private final CliContext context;

  @Option(
      names = "--kubernetes-dir",
      paramLabel = "DIR",
      description =
          "Where the kubeconfigs (DIR/*.conf) and manifests (DIR/manifests) are (default"
              + " /etc/kubernetes).")
  Path kubernetesDir;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "A kubeadm configuration file whose controlPlaneEndpoint the API server's certificate"
              + " must cover (default: the host admin.conf points at).")
  Path config;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "text or json (default ${DEFAULT-VALUE}).",
      defaultValue = "text")
  String output;

  CheckCommand(CliContext context) {
    this.context = context;
  }

  public static picocli.CommandLine commandLine(CliContext context) {
    return new picocli.CommandLine(new CheckCommand(context));
  }

  @Override
  public Integer call() throws UsageException {
    if (!output.equals("text") && !output.equals("json")) {
      throw new UsageException("--output " + output + ": not a format; use text or json");
    }
    Optional<String> endpoint = Optional.empty();
    if (config != null) {
      try {
        endpoint =
            new ConfigReader().read(config).cluster().controlPlaneEndpoint().map(HostPort::host);
      } catch (ConfigException e) {
        throw new UsageException(e.getMessage(), e);
      }
    }
    Path dir = (kubernetesDir != null ? kubernetesDir : KubeLayout.DEFAULT_KUBERNETES_DIR);
    dir = dir.toAbsolutePath().normalize();
    List<Finding> findings =
        new NodeChecker(KubeLayout.of(dir, dir.resolve("pki")), endpoint, Clock.systemUTC())
            .check();
    boolean ok = findings.stream().allMatch(Finding::ok);
    PrintWriter out = context.out();
    if (output.equals("json")) {
      out.print(GoJson.marshalIndent(document(findings, ok), "  "));
    } else {
      text(findings, out);
    }
    out.flush();
    return ok ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  static void text(List<Finding> findings, PrintWriter out) {
    for (Finding f : findings) {
      if (f.ok()) {
        out.println("[ok]   " + f.kind() + " " + f.file() + ": " + f.summary());
      } else {
        for (String problem : f.problems()) {
          out.println("[FAIL] " + f.kind() + " " + f.file() + ": " + problem);
        }
      }
      for (String note : f.notes()) {
        out.println("[note] " + f.kind() + " " + f.file() + ": " + note);
      }
    }
    long failed = findings.stream().filter(f -> !f.ok()).count();
    out.println();
    out.println(
        failed == 0
            ? "All " + findings.size() + " checks passed."
            : failed + " of " + findings.size() + " checks failed.");
  }

  static Map<String, Object> document(List<Finding> findings, boolean ok) {
    var doc = new LinkedHashMap<String, Object>();
    doc.put("ok", ok);
    var checks = new ArrayList<Map<String, Object>>();
    for (Finding f : findings) {
      var check = new LinkedHashMap<String, Object>();
      check.put("kind", f.kind());
      check.put("file", f.file());
      check.put("ok", f.ok());
      check.put("summary", f.summary());
      check.put("problems", f.problems());
      check.put("notes", f.notes());
      checks.add(check);
    }
    doc.put("checks", checks);
    return doc;
  }
}
