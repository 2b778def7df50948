package dev.kubeboot.cli.init;

import dev.kubeboot.cli.io.FileMode;
import dev.kubeboot.cli.io.FileSink;
import dev.kubeboot.runner.manifest.ManifestDecoder;
import dev.kubeboot.runner.manifest.ManifestException;
import dev.kubeboot.runner.pod.VolumeSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * The etcd data directory init set up, kept beside the kubeconfigs so reset empties that directory
 * and no other. Read from the rendered etcd manifest the way kubeadm's reset reads it: the hostPath
 * of the {@code etcd-data} volume of the decoded pod (comments and other text never count).
 */
public final class EtcdDataRecord {
  /** The volume kubeadm's etcd manifest mounts the data directory as. */
  public static final String VOLUME = "etcd-data";

  private EtcdDataRecord() {}

  /**
   * The {@code etcd-data} hostPath of an etcd manifest, decoded as the runner decodes it.
   *
   * @return empty when the pod has no such hostPath volume
   * @throws ManifestException the manifest is no pod the runner would run
   */
  public static Optional<Path> dataDirOf(byte[] manifest, Path file) throws ManifestException {
    var pod = new ManifestDecoder(Clock.systemUTC()).decode(manifest, file, "reset");
    var volume = pod.spec().volume(VOLUME);
    if (volume.isEmpty()
        || !(volume.get().source() instanceof VolumeSource.HostPath hostPath)
        || hostPath.path().isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of(hostPath.path()).toAbsolutePath().normalize());
    } catch (InvalidPathException e) {
      throw new ManifestException(
          file, "spec.volumes[" + VOLUME + "].hostPath.path", "is no path: " + e.getMessage());
    }
  }

  /** The data directory init recorded for this layout, if any. */
  public static Optional<Path> read(FileSink sink, KubeLayout layout) throws IOException {
    return sink.read(layout.etcdDataRecord())
        .map(b -> new String(b, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip())
        .filter(s -> !s.isEmpty())
        .map(s -> Path.of(s).toAbsolutePath().normalize());
  }

  static void write(FileSink sink, KubeLayout layout, Path dataDir) throws IOException {
    Path dir = dataDir.toAbsolutePath().normalize();
    if (read(sink, layout).filter(dir::equals).isPresent()) {
      return;
    }
    sink.write(
        layout.etcdDataRecord(), (dir + "\n").getBytes(StandardCharsets.UTF_8), FileMode.PUBLIC);
  }
}
