package dev.kubeboot.runner.pod;

/** Where a volume's content comes from. */
public sealed interface VolumeSource {
  /**
   * A directory or file of the host.
   *
   * @param type the kubelet's hostPath type: "" (no check), DirectoryOrCreate, Directory,
   *     FileOrCreate, File, Socket, CharDevice, BlockDevice
   */
  record HostPath(String path, String type) implements VolumeSource {}

  /** A scratch directory owned by the pod. */
  record EmptyDir() implements VolumeSource {}

  /** Any other volume kind, named by its field (e.g. "configMap"). */
  record Unsupported(String kind) implements VolumeSource {}
}
