package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.config.KubeadmConfig;
import dev.kubeboot.cli.config.LocalEtcd;
import dev.kubeboot.cli.init.ConfigMapping;
import dev.kubeboot.cli.init.EtcdDataRecord;
import dev.kubeboot.cli.init.KubeLayout;
import dev.kubeboot.cli.io.FileSink;
import dev.kubeboot.pki.KubeadmCert;
import dev.kubeboot.pki.KubeadmCerts;
import dev.kubeboot.runner.fs.TrustedPaths;
import dev.kubeboot.runner.manifest.ManifestException;
import dev.kubeboot.templates.ControlPlaneComponent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What reset removes: exactly the files init writes (the four manifests, the five kubeconfigs,
 * kubeadm's certificate table and the sa key pair, the manifest and etcd data records), the
 * contents of the etcd data directory init recorded, and afterwards the directories init made when
 * they are left empty. Nothing else in those directories is touched.
 */
record ResetPlan(
    List<Path> manifests,
    List<Path> files,
    Optional<Path> etcdDataDir,
    List<Path> directories,
    Optional<Path> tmpDir) {
  static final List<String> KUBECONFIGS =
      List.of(
          "admin.conf",
          "super-admin.conf",
          "kubelet.conf",
          "controller-manager.conf",
          "scheduler.conf");

  static final String UNRECORDED_FLAG = "--clean-unrecorded-etcd-data-dir";

  /** When the cleanup-node phase is skipped: no file of this node is touched. */
  static final ResetPlan NOTHING =
      new ResetPlan(List.of(), List.of(), Optional.empty(), List.of(), Optional.empty());

  ResetPlan {
    manifests = List.copyOf(manifests);
    files = List.copyOf(files);
    directories = List.copyOf(directories);
  }

  /**
   * @param sink reads the etcd data record
   * @param stateDir the runner's state directory (never emptied as etcd data)
   * @param unrecordedOk empty an etcd data directory init did not record too
   * @param cleanupTmpDir empty the kubernetes directory's tmp (upgrade's backups) too
   * @param warnings what reset should know but does not stop for
   */
  static ResetPlan of(
      KubeadmConfig config,
      KubeLayout layout,
      FileSink sink,
      Path stateDir,
      boolean unrecordedOk,
      boolean cleanupTmpDir,
      Consumer<String> warnings)
      throws IOException, KubebootException {
    var manifests = new ArrayList<Path>();
    for (ControlPlaneComponent component : ControlPlaneComponent.ORDERED) {
      addIfExists(manifests, layout.manifest(component.manifestFileName()));
    }
    Optional<Path> dataDir = etcdDataDir(config, layout, sink, stateDir, unrecordedOk, warnings);
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
    addIfExists(files, layout.etcdDataRecord());
    addIfExists(files, layout.etcdJoinRecord());
    var directories = new ArrayList<Path>();
    for (Path dir : List.of(layout.manifestDir(), layout.cert("etcd"), layout.certDir())) {
      if (Files.isDirectory(dir)) {
        directories.add(dir);
      }
    }
    Optional<Path> tmpDir =
        cleanupTmpDir ? tmpDirToEmpty(layout.tmpDir(), warnings) : Optional.empty();
    return new ResetPlan(manifests, files, dataDir, directories, tmpDir);
  }

  /**
   * The tmp directory when it holds something. A link there is left alone: reset empties a
   * directory of the node's own, never one a link leads to. Another user's is refused.
   */
  private static Optional<Path> tmpDirToEmpty(Path tmp, Consumer<String> warnings)
      throws IOException {
    if (Files.isSymbolicLink(tmp)) {
      warnings.accept(
          tmp + " is a symbolic link: not emptied (reset empties only a directory of its own)");
      return Optional.empty();
    }
    if (!Files.isDirectory(tmp, java.nio.file.LinkOption.NOFOLLOW_LINKS) || isEmptyDirectory(tmp)) {
      return Optional.empty();
    }
    TrustedPaths.forThisProcess().requireTrusted(tmp);
    return Optional.of(tmp);
  }

  /**
   * As kubeadm: the hostPath of the etcd manifest's {@code etcd-data} volume (the manifest decoded
   * as a pod, so comments and other text never count), else the config's etcd.local.dataDir. Then
   * emptied only when it is what init recorded (or {@code unrecordedOk}), never when it is a system
   * directory or holds kubeboot's own, and only when no other user controls it.
   *
   * @throws KubebootException the directory is refused: nothing has been changed yet
   */
  static Optional<Path> etcdDataDir(
      KubeadmConfig config,
      KubeLayout layout,
      FileSink sink,
      Path stateDir,
      boolean unrecordedOk,
      Consumer<String> warnings)
      throws IOException, KubebootException {
    Path manifest = layout.manifest(ControlPlaneComponent.ETCD.manifestFileName());
    Optional<Path> dir = Optional.empty();
    String source = "";
    if (Files.isRegularFile(manifest)) {
      try {
        dir = EtcdDataRecord.dataDirOf(Files.readAllBytes(manifest), manifest);
        source = "the etcd-data volume of " + manifest;
      } catch (ManifestException e) {
        warnings.accept(
            "cannot read the etcd-data volume of "
                + manifest
                + " ("
                + e.getMessage()
                + "): going by the configuration's etcd.local.dataDir");
      }
    }
    if (dir.isEmpty()
        && config.cluster().etcd() instanceof LocalEtcd local
        && local.dataDir() != null) {
      dir = Optional.of(Path.of(local.dataDir()).toAbsolutePath().normalize());
      source = "the configuration's etcd.local.dataDir";
    }
    if (dir.isEmpty()) {
      return dir;
    }
    Path path = dir.get();
    var guard =
        new DataDirGuard(
            List.of(layout.kubernetesDir(), layout.manifestDir(), layout.certDir(), stateDir));
    Optional<String> refused = guard.whyNot(path);
    if (refused.isPresent()) {
      throw new KubebootException(
          "refusing to empty the etcd data directory "
              + path
              + " (from "
              + source
              + "): "
              + refused.get()
              + ". Nothing was reset. Correct the etcd-data volume (or remove the etcd manifest)"
              + " and run reset again; remove etcd's data by hand if it really lives there.");
    }
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      // Nothing to empty, so nothing to refuse: a node that runs no etcd (one that joined a
      // cluster on an external etcd) resets without being told which data directory is whose.
      return Optional.empty();
    }
    if (isEmptyDirectory(path)) {
      // Nothing to empty either: a join killed after its member add but before its etcd manifest
      // (and so before the record) leaves the directory a reset emptied earlier, and nothing else.
      return Optional.empty();
    }
    Optional<Path> recorded = EtcdDataRecord.read(sink, layout);
    if (!unrecordedOk && !recorded.equals(Optional.of(path))) {
      throw new KubebootException(
          "refusing to empty the etcd data directory "
              + path
              + " (from "
              + source
              + "): init did not set it up ("
              + recorded
                  .map(r -> "it recorded " + r + " in " + layout.etcdDataRecord())
                  .orElse("there is no record of it: " + layout.etcdDataRecord() + " is missing")
              + "). Nothing was reset. Check "
              + manifest
              + "; if "
              + path
              + " really is this node's etcd data, run reset again with "
              + UNRECORDED_FLAG
              + ".");
    }
    if (!Files.isDirectory(path)) {
      return Optional.empty();
    }
    // Another user who controls a directory on the way could swap it for a link to elsewhere. The
    // data directory itself may belong to etcd's user (Debian's etcd package): emptying it never
    // follows a link inside.
    TrustedPaths.forThisProcess().requireTrustedWayTo(path);
    return Optional.of(path);
  }

  boolean isEmpty() {
    return manifests.isEmpty() && files.isEmpty() && etcdDataDir.isEmpty() && tmpDir.isEmpty();
  }

  /** A real directory (not a link to one) without entries. */
  private static boolean isEmptyDirectory(Path path) throws IOException {
    if (!Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (var entries = Files.newDirectoryStream(path)) {
      return !entries.iterator().hasNext();
    }
  }

  private static void addIfExists(List<Path> list, Path file) {
    if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      list.add(file);
    }
  }
}
