package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.config.KubeadmConfig;
import dev.kubeboot.cli.config.LocalEtcd;
import dev.kubeboot.cli.init.ConfigMapping;
import dev.kubeboot.cli.init.KubeLayout;
import dev.kubeboot.pki.KubeadmCert;
import dev.kubeboot.pki.KubeadmCerts;
import dev.kubeboot.templates.ControlPlaneComponent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What reset removes: exactly the files init writes (the four manifests, the five kubeconfigs,
 * kubeadm's certificate table and the sa key pair, the manifest record), the etcd data directory's
 * contents, and afterwards the directories init made when they are left empty. Nothing else in
 * those directories is touched.
 */
record ResetPlan(
    List<Path> manifests, List<Path> files, Optional<Path> etcdDataDir, List<Path> directories) {
  static final List<String> KUBECONFIGS =
      List.of(
          "admin.conf",
          "super-admin.conf",
          "kubelet.conf",
          "controller-manager.conf",
          "scheduler.conf");

  private static final Pattern DATA_DIR = Pattern.compile("--data-dir=(\\S+)");

  ResetPlan {
    manifests = List.copyOf(manifests);
    files = List.copyOf(files);
    directories = List.copyOf(directories);
  }

  static ResetPlan of(KubeadmConfig config, KubeLayout layout)
      throws IOException, KubebootException {
    var manifests = new ArrayList<Path>();
    for (ControlPlaneComponent component : ControlPlaneComponent.ORDERED) {
      addIfExists(manifests, layout.manifest(component.manifestFileName()));
    }
    Optional<Path> dataDir = etcdDataDir(config, layout);
    var files = new ArrayList<Path>();
    for (String kubeconfig : KUBECONFIGS) {
      addIfExists(files, layout.kubeconfig(kubeconfig));
    }
    // With external etcd the table has no etcd rows: the user's etcd client files stay.
    for (KubeadmCert row : KubeadmCerts.table(ConfigMapping.certInputs(config), w -> {})) {
      addIfExists(files, layout.cert(row.certificateFile()));
      addIfExists(files, layout.cert(row.keyFile()));
    }
    addIfExists(files, layout.cert(KubeadmCerts.SERVICE_ACCOUNT_BASE_NAME + ".key"));
    addIfExists(files, layout.cert(KubeadmCerts.SERVICE_ACCOUNT_BASE_NAME + ".pub"));
    addIfExists(files, layout.manifestRecord());
    var directories = new ArrayList<Path>();
    for (Path dir : List.of(layout.manifestDir(), layout.cert("etcd"), layout.certDir())) {
      if (Files.isDirectory(dir)) {
        directories.add(dir);
      }
    }
    return new ResetPlan(manifests, files, dataDir, directories);
  }

  /**
   * As kubeadm: the data dir the etcd manifest gives etcd, else the config's etcd.local.dataDir.
   * Refused when it is the file system root or holds the kubernetes or certificate directory.
   */
  static Optional<Path> etcdDataDir(KubeadmConfig config, KubeLayout layout)
      throws IOException, KubebootException {
    Path manifest = layout.manifest(ControlPlaneComponent.ETCD.manifestFileName());
    Optional<Path> dir = Optional.empty();
    if (Files.isRegularFile(manifest)) {
      var matcher = DATA_DIR.matcher(Files.readString(manifest));
      if (matcher.find()) {
        dir = Optional.of(Path.of(matcher.group(1)));
      }
    }
    if (dir.isEmpty()
        && config.cluster().etcd() instanceof LocalEtcd local
        && local.dataDir() != null) {
      dir = Optional.of(Path.of(local.dataDir()));
    }
    if (dir.isEmpty()) {
      return dir;
    }
    Path path = dir.get().toAbsolutePath().normalize();
    if (path.getNameCount() < 2
        || layout.kubernetesDir().startsWith(path)
        || layout.certDir().startsWith(path)) {
      throw new KubebootException(
          "refusing to remove the etcd data directory "
              + path
              + ": it is too close to the root or holds the kubernetes files; remove it by hand if it really is etcd's");
    }
    return Files.isDirectory(path) ? Optional.of(path) : Optional.empty();
  }

  boolean isEmpty() {
    return manifests.isEmpty() && files.isEmpty() && etcdDataDir.isEmpty();
  }

  private static void addIfExists(List<Path> list, Path file) {
    if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      list.add(file);
    }
  }
}
