package dev.kubeboot.cli.cluster;

import dev.kubeboot.cli.config.Etcd;
import dev.kubeboot.cli.config.ExternalEtcd;
import dev.kubeboot.cli.config.LocalEtcd;
import dev.kubeboot.cli.token.BootstrapTokenSecrets;
import dev.kubeboot.cli.token.BootstrapTokenSpec;
import dev.kubeboot.cli.token.BootstrapTokenString;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What kubeadm's upload-certs phase writes (phases/copycerts): Secret {@code
 * kube-system/kubeadm-certs} with the cluster's CAs and service-account key pair, each file
 * encrypted under the certificate key, owned by a bootstrap token that lives 2 hours so that the
 * garbage collector removes the Secret with the expired token.
 */
public final class UploadCertsObjects {
  public static final String NAMESPACE = "kube-system";
  public static final String NAME = "kubeadm-certs";
  public static final String ROLE = "kubeadm:kubeadm-certs";

  /** kubeadm's DefaultCertTokenDuration. */
  public static final Duration TOKEN_TTL = Duration.ofHours(2);

  public static final String TOKEN_DESCRIPTION =
      "Proxy for managing TTL for the kubeadm-certs secret";

  private UploadCertsObjects() {}

  /** A file to upload: its Secret key and where it is on disk. */
  public record CertFile(String key, Path path) {}

  /**
   * The files of a stacked-etcd cluster: the CA, service-account and front-proxy material, and the
   * etcd CA; the key is the pki-relative path with {@code /} turned into {@code -}.
   */
  public static List<CertFile> stackedEtcdFiles(Path pki) {
    return List.of(
        file(pki, "ca.crt"),
        file(pki, "ca.key"),
        file(pki, "sa.key"),
        file(pki, "sa.pub"),
        file(pki, "front-proxy-ca.crt"),
        file(pki, "front-proxy-ca.key"),
        file(pki, "etcd/ca.crt"),
        file(pki, "etcd/ca.key"));
  }

  /** With an external etcd its client files go in place of the etcd CA key pair. */
  public static List<CertFile> externalEtcdFiles(
      Path pki, Optional<String> caFile, Optional<String> certFile, Optional<String> keyFile) {
    List<CertFile> files = new ArrayList<>(stackedEtcdFiles(pki).subList(0, 6));
    caFile.ifPresent(f -> files.add(new CertFile("external-etcd-ca.crt", Path.of(f))));
    certFile.ifPresent(f -> files.add(new CertFile("external-etcd.crt", Path.of(f))));
    keyFile.ifPresent(f -> files.add(new CertFile("external-etcd.key", Path.of(f))));
    return List.copyOf(files);
  }

  /**
   * The files of a cluster with this etcd: what upload-certs puts in the Secret and download-certs
   * writes back, each at the same place (the etcd.external paths are the cluster's, not the
   * node's).
   */
  public static List<CertFile> files(Path pki, Etcd etcd) {
    return switch (etcd) {
      case LocalEtcd local -> stackedEtcdFiles(pki);
      case ExternalEtcd external ->
          externalEtcdFiles(pki, external.caFile(), external.certFile(), external.keyFile());
    };
  }

  private static CertFile file(Path pki, String relative) {
    return new CertFile(relative.replace('/', '-'), pki.resolve(relative));
  }

  /** Reads a file: its bytes, or empty when there is no such file. */
  @FunctionalInterface
  public interface FileReader {
    Optional<byte[]> read(Path file) throws IOException;
  }

  /**
   * The Secret's data: each file's bytes encrypted; a missing file becomes an empty value (a
   * joining node skips it), as kubeadm does.
   *
   * @throws IOException when a file exists but cannot be read
   */
  public static Map<String, String> encryptedData(
      List<CertFile> files, FileReader reader, CertsCipher cipher) throws IOException {
    Map<String, String> data = new LinkedHashMap<>();
    for (CertFile f : files) {
      Optional<byte[]> content;
      try {
        content = reader.read(f.path());
      } catch (IOException e) {
        throw new IOException("cannot read " + f.path() + " to upload it: " + e.getMessage(), e);
      }
      data.put(
          f.key(),
          content.map(c -> Base64.getEncoder().encodeToString(cipher.encrypt(c))).orElse(""));
    }
    return data;
  }

  /**
   * The short-lived token that owns the Secret: no usages and no groups, so it can neither sign nor
   * authenticate; it only carries the expiry.
   */
  public static BootstrapTokenSpec ttlToken(BootstrapTokenString token) {
    return new BootstrapTokenSpec(
        token, TOKEN_DESCRIPTION, Optional.of(TOKEN_TTL), Optional.empty(), List.of(), List.of());
  }

  /** Secret kubeadm-certs (no type: the API server makes it Opaque), owned by the token Secret. */
  public static Secret secret(Map<String, String> encryptedData, Secret owner) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(NAME)
        .withNamespace(NAMESPACE)
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion("v1")
                .withKind("Secret")
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build())
        .endMetadata()
        .withData(encryptedData)
        .build();
  }

  /** Role {@code kubeadm:kubeadm-certs}: get secrets [kubeadm-certs]. */
  public static Role role() {
    return Rbac.getRole(NAMESPACE, ROLE, "secrets", NAME);
  }

  /** Only bootstrap tokens of the default group may read it. */
  public static RoleBinding roleBinding() {
    return Rbac.roleBinding(NAMESPACE, ROLE, List.of(Rbac.group(Rbac.BOOTSTRAPPERS)));
  }

  /** The token's Secret name, as the owner reference names it. */
  public static String ownerName(BootstrapTokenString token) {
    return BootstrapTokenSecrets.secretName(token.id());
  }
}
