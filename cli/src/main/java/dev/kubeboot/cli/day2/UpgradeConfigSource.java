package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.UsageException;
import dev.kubeboot.cli.cluster.UploadConfigObjects;
import dev.kubeboot.cli.config.ConfigException;
import dev.kubeboot.cli.config.ConfigReader;
import dev.kubeboot.cli.config.KubeadmConfig;
import dev.kubeboot.cli.config.UpgradeConfigReader;
import dev.kubeboot.cli.init.InitOptions;
import dev.kubeboot.cli.init.KubeLayout;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The configuration an upgrade renders the new manifests with. kubeadm takes the cluster's own
 * (kube-system/kubeadm-config) rather than defaults, so that the cluster's extra arguments, SANs,
 * networking and algorithms survive the upgrade; this node's name and advertise address come from
 * its live kube-apiserver manifest. --config names kubeadm's UpgradeConfiguration (each command
 * takes its own section); an InitConfiguration or ClusterConfiguration in it is used instead of the
 * cluster's.
 */
final class UpgradeConfigSource {
  private UpgradeConfigSource() {}

  /**
   * What --config holds for {@code command}, its warnings shown on {@code err}; nothing without
   * --config.
   *
   * @throws UsageException naming every problem of the file
   */
  static UpgradeConfigReader.Reading file(
      InitOptions options, UpgradeConfigReader.Command command, PrintWriter err)
      throws UsageException {
    if (options.configFile().isEmpty()) {
      return UpgradeConfigReader.Reading.none();
    }
    Path file = options.configFile().get();
    UpgradeConfigReader.Reading reading;
    try {
      reading = new UpgradeConfigReader().read(file);
    } catch (ConfigException e) {
      throw new UsageException(e.getMessage(), e);
    }
    reading.warnings(command, file.toString()).forEach(w -> err.println("W " + w));
    err.flush();
    return reading;
  }

  /**
   * The phases to skip: {@code --skip-phases} when given (each one of {@code known}, else a usage
   * error), else the file's skipPhases, as kubeadm takes them.
   */
  static List<String> skipPhases(List<String> flag, List<String> file, List<String> known)
      throws UsageException {
    if (flag.isEmpty()) {
      return file;
    }
    for (String phase : flag) {
      if (!known.contains(phase)) {
        throw new UsageException(
            "--skip-phases: unknown phase \""
                + phase
                + "\"; the phases are "
                + String.join(", ", known));
      }
    }
    return List.copyOf(flag);
  }

  /** The flag when given, else the file's value when set, else kubeadm's default. */
  static boolean choose(Boolean flag, Optional<Boolean> file, boolean byDefault) {
    return flag != null ? flag : file.orElse(byDefault);
  }

  /**
   * The cluster's configuration as read, before flags and defaults, with this node's part.
   *
   * @throws KubebootException when the cluster cannot give it (an upgrade without the cluster's
   *     configuration would silently drop its settings)
   */
  static KubeadmConfig fromCluster(InitOptions options, PrintWriter out)
      throws KubebootException, InterruptedException {
    Path kubernetesDir = options.kubernetesDirOrDefault();
    KubeLayout layout = KubeLayout.of(kubernetesDir, kubernetesDir.resolve("pki"));
    LocalNode local =
        LocalNode.read(
            layout.manifest("kube-apiserver.yaml"), kubernetesDir.resolve("kubelet.conf"));
    out.printf(
        "[upgrade/config] Reading configuration from the \"%s\" ConfigMap in namespace"
            + " \"%s\"...%n",
        UploadConfigObjects.KUBEADM_CONFIG, UploadConfigObjects.NAMESPACE);
    out.printf(
        "[upgrade/config] Use 'kubeboot init phase upload-config kubeadm --config"
            + " your-config-file' to re-upload it.%n");
    out.flush();
    String cluster;
    try {
      cluster = ClusterConfigSource.fetchOrFail(kubernetesDir.resolve("admin.conf"));
    } catch (KubebootException e) {
      throw new KubebootException(
          "cannot read the cluster's configuration: "
              + e.getMessage()
              + "; an upgrade renders the new manifests from it (or pass --config)",
          e);
    }
    try {
      return new ConfigReader()
          .read(
              local.initConfiguration() + "---\n" + cluster,
              ClusterConfigSource.source() + " with this node's kube-apiserver manifest");
    } catch (ConfigException e) {
      throw new KubebootException(
          "the cluster's configuration cannot be used: "
              + e.getMessage()
              + "; fix it, or pass"
              + " --config",
          e);
    }
  }
}
