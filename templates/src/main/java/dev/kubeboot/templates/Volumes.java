package dev.kubeboot.templates;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The hostPath volumes of one pod, keyed by name so a later mount of the same name (an extraVolume)
 * replaces an earlier one, as kubeadm's map does; listed sorted by name.
 */
final class Volumes {

  static final String DIRECTORY_OR_CREATE = "DirectoryOrCreate";
  static final String FILE_OR_CREATE = "FileOrCreate";

  static final String CA_CERTS_PATH = "/etc/ssl/certs";

  /** CA certificate directories kubeadm mounts only when they exist on the host. */
  static final Map<String, String> OPTIONAL_CA_DIRS =
      Map.of(
          "etc-ca-certificates", "/etc/ca-certificates",
          "usr-share-ca-certificates", "/usr/share/ca-certificates",
          "usr-local-share-ca-certificates", "/usr/local/share/ca-certificates",
          "etc-pki-ca-trust", "/etc/pki/ca-trust",
          "etc-pki-tls-certs", "/etc/pki/tls/certs");

  private final Map<String, HostPathMount> byName = new TreeMap<>(Flags.GO_ORDER);
  private final Map<String, HostPathMount> inserted = new LinkedHashMap<>();
  private boolean mountsInInsertionOrder;

  Volumes add(String name, String path, boolean readOnly, String type) {
    HostPathMount mount = new HostPathMount(name, path, path, readOnly, type);
    byName.put(name, mount);
    inserted.put(name, mount);
    return this;
  }

  Volumes addAll(List<HostPathMount> mounts) {
    for (HostPathMount m : mounts) {
      byName.put(m.name(), m);
      inserted.put(m.name(), m);
    }
    return this;
  }

  /**
   * Lists the mounts in the order they were added, as kubeadm writes etcd's; volumes stay sorted.
   */
  Volumes mountsInInsertionOrder() {
    mountsInInsertionOrder = true;
    return this;
  }

  /**
   * k8s-certs, ca-certs and the CA directories present on this host (apiserver,
   * controller-manager).
   */
  Volumes addCertificateVolumes(ControlPlaneInputs in) {
    add("k8s-certs", in.certificatesDir(), true, DIRECTORY_OR_CREATE);
    add("ca-certs", CA_CERTS_PATH, true, DIRECTORY_OR_CREATE);
    OPTIONAL_CA_DIRS.forEach(
        (name, dir) -> {
          if (in.hostDirExists().test(Path.of(dir))) {
            add(name, dir, true, DIRECTORY_OR_CREATE);
          }
        });
    return this;
  }

  /**
   * The directories of an external etcd's CA, cert and key, read-only, named etcd-certs-N, except
   * those already mounted (under the certificates dir or a CA directory); a directory inside
   * another one is covered by it.
   */
  Volumes addExternalEtcdCertificateDirs(ExternalEtcd etcd, String certificatesDir) {
    List<Path> covered = new ArrayList<>();
    covered.add(Path.of(certificatesDir));
    covered.add(Path.of(CA_CERTS_PATH));
    OPTIONAL_CA_DIRS.values().forEach(d -> covered.add(Path.of(d)));
    TreeSet<Path> dirs = new TreeSet<>();
    for (String file : List.of(etcd.caFile(), etcd.certFile(), etcd.keyFile())) {
      if (file.isEmpty()) {
        continue;
      }
      Path dir = Path.of(file).normalize().getParent();
      if (dir == null || covered.stream().anyMatch(dir::startsWith)) {
        continue;
      }
      if (dirs.stream().anyMatch(dir::startsWith)) {
        continue;
      }
      dirs.removeIf(existing -> existing.startsWith(dir));
      dirs.add(dir);
    }
    int i = 0;
    for (Path dir : dirs) {
      add("etcd-certs-" + i++, dir.toString(), true, DIRECTORY_OR_CREATE);
    }
    return this;
  }

  List<HostPathVolume> volumes() {
    return byName.values().stream()
        .map(m -> new HostPathVolume(m.name(), m.hostPath(), m.pathType()))
        .toList();
  }

  List<VolumeMount> mounts() {
    return (mountsInInsertionOrder ? inserted : byName)
        .values().stream()
            .map(m -> new VolumeMount(m.name(), m.mountPath(), m.readOnly()))
            .toList();
  }
}
