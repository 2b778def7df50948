package dev.kubeboot.cli.join;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.cluster.CertificateKey;
import dev.kubeboot.cli.cluster.CertsCipher;
import dev.kubeboot.cli.cluster.UploadCertsObjects;
import dev.kubeboot.cli.config.Etcd;
import dev.kubeboot.cli.config.ExternalEtcd;
import dev.kubeboot.cli.io.FileMode;
import dev.kubeboot.cli.io.FileSink;
import dev.kubeboot.cli.token.BootstrapTokenString;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Join's download-certs: read {@code kube-system/kubeadm-certs} with the bootstrap token over TLS
 * verified by the discovered CA, decrypt every entry with the certificate key, and only when all of
 * them opened write the shared CA, service-account and front-proxy material into this node's pki
 * directory, and with an external etcd its client files at the cluster's {@code etcd.external}
 * paths (as kubeadm does; no etcd CA travels then). A wrong key or a missing Secret writes nothing.
 * A file that exists with other content is refused rather than replaced: it belongs to another
 * cluster (reset this node first) or, for an external etcd's file, to whoever put it there.
 */
public final class CertsDownload {
  private final Duration callTimeout;

  public CertsDownload(Duration callTimeout) {
    this.callTimeout = callTimeout;
  }

  /**
   * @return the files written or found identical, in the Secret's order
   */
  public List<Path> download(
      DiscoveredCluster cluster,
      BootstrapTokenString token,
      CertificateKey key,
      Path pki,
      Etcd etcd,
      FileSink files)
      throws KubebootException, InterruptedException {
    Map<String, Path> known = new LinkedHashMap<>();
    for (UploadCertsObjects.CertFile f : UploadCertsObjects.files(pki, etcd)) {
      known.put(f.key(), f.path());
    }
    JsonNode data = secretData(cluster, token);
    CertsCipher cipher = new CertsCipher(key, new SecureRandom());
    Map<Path, byte[]> plain = new LinkedHashMap<>();
    Map<Path, FileMode> modes = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : data.properties()) {
      Path target = known.get(entry.getKey());
      if (target == null) {
        // Not a file of this cluster's etcd mode (kubeadm too reads only the files it expects).
        continue;
      }
      // A Secret's data travels base64-encoded; the bytes are nonce || ciphertext || tag.
      byte[] encrypted;
      try {
        encrypted = Base64.getDecoder().decode(entry.getValue().asString(""));
      } catch (IllegalArgumentException e) {
        throw new KubebootException(
            "entry " + entry.getKey() + " of Secret kube-system/kubeadm-certs is not base64", e);
      }
      if (encrypted.length == 0) {
        continue;
      }
      // By the Secret's key, not the file name: an etcd.external keyFile may be named anything.
      modes.put(target, entry.getKey().endsWith(".key") ? FileMode.PRIVATE : FileMode.PUBLIC);
      try {
        plain.put(target, cipher.decrypt(encrypted));
      } catch (IllegalArgumentException e) {
        throw new KubebootException(
            "entry "
                + entry.getKey()
                + " of Secret kube-system/"
                + UploadCertsObjects.NAME
                + " does not decrypt with the --certificate-key given ("
                + e.getMessage()
                + "); use the key init printed, or upload the certificates again with kubeboot"
                + " init phase upload-certs --upload-certs; nothing was written",
            e);
      }
    }
    if (!plain.containsKey(pki.resolve("ca.key"))) {
      throw new KubebootException(
          "Secret kube-system/"
              + UploadCertsObjects.NAME
              + " holds no cluster CA key: the first node did not upload its certificates");
    }
    try {
      for (Map.Entry<Path, byte[]> e : plain.entrySet()) {
        Optional<byte[]> existing = files.read(e.getKey());
        if (existing.isPresent() && !Arrays.equals(existing.get(), e.getValue())) {
          throw new KubebootException(foreign(e.getKey(), etcd));
        }
      }
      // Every directory is made (or found) and checked before the first file is written: a
      // directory another user controls refuses the download as a whole.
      for (Map.Entry<Path, FileMode> e : modes.entrySet()) {
        Path parent = e.getKey().toAbsolutePath().getParent();
        files.createDirectories(parent, e.getValue().dirPermissions());
      }
    } catch (IOException e) {
      throw new KubebootException(
          "cannot write the shared certificates: " + e.getMessage() + "; no file was written", e);
    }
    try {
      for (Map.Entry<Path, byte[]> e : plain.entrySet()) {
        files.write(e.getKey(), e.getValue(), modes.get(e.getKey()));
      }
    } catch (IOException e) {
      throw new KubebootException("cannot write the shared certificates: " + e.getMessage(), e);
    }
    return List.copyOf(plain.keySet());
  }

  private static String foreign(Path file, Etcd etcd) {
    if (etcd instanceof ExternalEtcd external) {
      for (var field :
          List.of(
              Map.entry("caFile", external.caFile()),
              Map.entry("certFile", external.certFile()),
              Map.entry("keyFile", external.keyFile()))) {
        if (field.getValue().map(f -> Path.of(f).equals(file)).orElse(false)) {
          return file
              + " (ClusterConfiguration.etcd.external."
              + field.getKey()
              + ") exists with content other than the one the cluster uploaded; move it away"
              + " or put the cluster's file there, then join again; nothing was written";
        }
      }
    }
    return file
        + " exists with content other than the cluster's; it belongs to another"
        + " cluster: run kubeboot reset on this node first; nothing was written";
  }

  private JsonNode secretData(DiscoveredCluster cluster, BootstrapTokenString token)
      throws KubebootException, InterruptedException {
    return new TokenClient(cluster, token, callTimeout)
        .data("secrets", UploadCertsObjects.NAME)
        .orElseThrow(
            () ->
                new KubebootException(
                    "Secret kube-system/"
                        + UploadCertsObjects.NAME
                        + " not found: it might have expired (it lives 2h); upload the"
                        + " certificates again on a control-plane node with kubeboot init phase"
                        + " upload-certs --upload-certs"));
  }
}
