package dev.kubeboot.cli.init;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.io.FileMode;
import dev.kubeboot.cli.workflow.Group;
import dev.kubeboot.cli.workflow.Phase;
import dev.kubeboot.cli.workflow.Prerequisite;
import dev.kubeboot.cli.workflow.Step;
import dev.kubeboot.pki.CertificateAuthority;
import dev.kubeboot.pki.CertificateChecks;
import dev.kubeboot.pki.ExtendedKeyUsage;
import dev.kubeboot.pki.KubeadmCert;
import dev.kubeboot.pki.KubeadmCerts;
import dev.kubeboot.pki.Pem;
import dev.kubeboot.pki.PkiException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Phase "certs": kubeadm's certificate table, one sub-phase per certificate, plus the sa key pair.
 */
final class CertsPhase {
  /** kubeadm's sub-phase names in kubeadm's order; the etcd ones are skipped with external etcd. */
  static final List<String> CERT_NAMES =
      List.of(
          "ca",
          "apiserver",
          "apiserver-kubelet-client",
          "front-proxy-ca",
          "front-proxy-client",
          "etcd-ca",
          "etcd-server",
          "etcd-peer",
          "etcd-healthcheck-client",
          "apiserver-etcd-client");

  private static final String TAG = "certs";

  private CertsPhase() {}

  static Phase<InitContext> phase() {
    var children = new ArrayList<Phase<InitContext>>();
    for (String name : CERT_NAMES) {
      Step<InitContext> step = Step.of(name, summary(name), ctx -> runCert(ctx, name));
      String ca = caOf(name);
      if (ca != null) {
        step =
            step.requiring(
                new Prerequisite<>(
                    "the " + ca + " certificate authority",
                    "certs/" + ca,
                    ctx -> ctx.cert(name).isEmpty() || caPresent(ctx, ca)));
      }
      children.add(step);
    }
    children.add(
        Step.of(
            "sa",
            "Generate a private key for signing service account tokens along with its public key",
            CertsPhase::runServiceAccount));
    return new Group<>("certs", "Certificate generation", children);
  }

  private static String summary(String name) {
    return switch (name) {
      case "ca" ->
          "Generate the self-signed Kubernetes CA to provision identities for other Kubernetes components";
      case "apiserver" -> "Generate the certificate for serving the Kubernetes API";
      case "apiserver-kubelet-client" ->
          "Generate the certificate for the API server to connect to kubelet";
      case "front-proxy-ca" ->
          "Generate the self-signed CA to provision identities for front proxy";
      case "front-proxy-client" -> "Generate the certificate for the front proxy client";
      case "etcd-ca" -> "Generate the self-signed CA to provision identities for etcd";
      case "etcd-server" -> "Generate the certificate for serving etcd";
      case "etcd-peer" -> "Generate the certificate for etcd nodes to communicate with each other";
      case "etcd-healthcheck-client" ->
          "Generate the certificate for liveness probes to healthcheck etcd";
      case "apiserver-etcd-client" -> "Generate the certificate the apiserver uses to access etcd";
      default -> throw new IllegalArgumentException(name);
    };
  }

  private static String caOf(String name) {
    return switch (name) {
      case "ca", "front-proxy-ca", "etcd-ca" -> null;
      case "front-proxy-client" -> KubeadmCerts.FRONT_PROXY_CA;
      case "etcd-server", "etcd-peer", "etcd-healthcheck-client", "apiserver-etcd-client" ->
          KubeadmCerts.ETCD_CA;
      default -> KubeadmCerts.CA;
    };
  }

  private static boolean caPresent(InitContext ctx, String caName) {
    try {
      return ctx.cert(caName)
          .map(ca -> exists(ctx, ctx.layout().cert(ca.certificateFile())))
          .orElse(false);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean exists(InitContext ctx, Path file) {
    try {
      return ctx.sink().exists(file);
    } catch (java.io.IOException e) {
      return false;
    }
  }

  static void runCert(InitContext ctx, String name) throws Exception {
    Optional<KubeadmCert> row = ctx.cert(name);
    if (row.isEmpty()) {
      ctx.printer()
          .phase(
              TAG,
              "External etcd mode: Skipping %s certificate generation",
              KubeadmCerts.baseName(name));
      return;
    }
    KubeadmCert cert = row.get();
    if (cert.isCa()) {
      ensureCa(ctx, cert);
    } else {
      ensureLeaf(ctx, cert);
    }
  }

  private static void ensureCa(InitContext ctx, KubeadmCert cert) throws Exception {
    Path certFile = ctx.layout().cert(cert.certificateFile());
    Path keyFile = ctx.layout().cert(cert.keyFile());
    Optional<X509Certificate> existing = readCertificate(ctx, certFile);
    if (existing.isPresent()) {
      X509Certificate ca = existing.get();
      if (!CertificateChecks.isCa(ca)) {
        throw new KubebootException(
            certFile
                + " is not a CA certificate; remove it or replace it with the "
                + cert.name()
                + " CA");
      }
      checkNotExpired(ctx, certFile, ca);
      Optional<PrivateKey> key = readKey(ctx, keyFile);
      if (key.isPresent()) {
        if (!CertificateChecks.keyMatches(ca, key.get())) {
          throw new KubebootException(
              keyFile
                  + " does not belong to "
                  + certFile
                  + "; restore the matching key, or remove both to make a new "
                  + cert.name());
        }
        ctx.printer().phase(TAG, "Using existing %s certificate authority", cert.baseName());
      } else {
        ctx.printer()
            .phase(
                TAG,
                "Using existing %s keyless certificate authority (external CA mode)",
                cert.baseName());
      }
      return;
    }
    if (exists(ctx, keyFile)) {
      // The key is written before the certificate, so nothing was ever signed with a key that has
      // no
      // certificate: an interrupted earlier run, safe to replace.
      ctx.warn(
          keyFile
              + " has no certificate "
              + certFile
              + " (an interrupted earlier run?): making a new "
              + cert.name()
              + " CA");
    }
    ctx.printer().phase(TAG, "Generating \"%s\" certificate and key", cert.baseName());
    KeyPair keys = ctx.keys().next();
    X509Certificate ca =
        ctx.issuer()
            .selfSignedCa(
                cert.spec().commonName(),
                keys,
                ctx.config().cluster().caCertificateValidityPeriod());
    writeKeyAndCert(ctx, keyFile, keys.getPrivate(), certFile, ca);
  }

  private static void ensureLeaf(InitContext ctx, KubeadmCert cert) throws Exception {
    Path certFile = ctx.layout().cert(cert.certificateFile());
    Path keyFile = ctx.layout().cert(cert.keyFile());
    KubeadmCert caRow = ctx.cert(cert.caName()).orElseThrow();
    Path caCertFile = ctx.layout().cert(caRow.certificateFile());
    X509Certificate caCert =
        readCertificate(ctx, caCertFile)
            .orElseThrow(
                () ->
                    new KubebootException(
                        "the "
                            + caRow.name()
                            + " CA "
                            + caCertFile
                            + " is missing: run phase certs/"
                            + caRow.name()
                            + " first"));
    Optional<X509Certificate> existing = readCertificate(ctx, certFile);
    Optional<PrivateKey> existingKey = readKey(ctx, keyFile);
    if (existing.isPresent() && existingKey.isPresent()) {
      validateExisting(ctx, cert, certFile, keyFile, existing.get(), existingKey.get(), caCert);
      ctx.printer().phase(TAG, "Using existing %s certificate and key on disk", cert.baseName());
      return;
    }
    if (existing.isPresent() && existingKey.isEmpty()) {
      throw new KubebootException(
          keyFile
              + " is missing but "
              + certFile
              + " exists; remove "
              + certFile
              + " to have both made again");
    }
    if (existingKey.isPresent()) {
      // kubeboot writes the key before its certificate: a key alone is an interrupted earlier run.
      ctx.warn(
          keyFile
              + " has no certificate "
              + certFile
              + " (an interrupted earlier run?): making a new key and certificate");
    }
    PrivateKey caKey =
        readKey(ctx, ctx.layout().cert(caRow.keyFile()))
            .orElseThrow(
                () ->
                    new KubebootException(
                        "cannot make "
                            + cert.name()
                            + ": the "
                            + caRow.name()
                            + " CA key "
                            + ctx.layout().cert(caRow.keyFile())
                            + " is missing (external CA mode): provide "
                            + certFile
                            + " and "
                            + keyFile
                            + " yourself"));
    ctx.printer().phase(TAG, "Generating \"%s\" certificate and key", cert.baseName());
    KeyPair keys = ctx.keys().next();
    var authority = new CertificateAuthority(caCert, caKey);
    var validity = ctx.config().cluster().certificateValidityPeriod();
    X509Certificate leaf = ctx.issuer().issue(cert.spec(), keys.getPublic(), authority, validity);
    if (ctx.issuer().notAfter(validity).isAfter(caCert.getNotAfter().toInstant())) {
      ctx.warn(
          "the "
              + cert.name()
              + " certificate is valid until "
              + leaf.getNotAfter().toInstant()
              + ", after its CA "
              + caRow.name()
              + " expires ("
              + caCert.getNotAfter().toInstant()
              + ")");
    }
    if (cert.spec().extendedKeyUsages().contains(ExtendedKeyUsage.SERVER_AUTH)) {
      var sans = cert.spec().subjectAltNames();
      ctx.printer()
          .phase(
              TAG,
              "%s serving cert is signed for DNS names [%s] and IPs [%s]",
              cert.baseName(),
              String.join(" ", sans.dnsNames()),
              sans.ipAddresses().stream()
                  .map(dev.kubeboot.templates.IpText::format)
                  .collect(Collectors.joining(" ")));
    }
    writeKeyAndCert(ctx, keyFile, keys.getPrivate(), certFile, leaf);
  }

  private static void validateExisting(
      InitContext ctx,
      KubeadmCert cert,
      Path certFile,
      Path keyFile,
      X509Certificate existing,
      PrivateKey key,
      X509Certificate caCert)
      throws KubebootException {
    try {
      CertificateChecks.verifySignedBy(existing, caCert);
    } catch (PkiException e) {
      throw new KubebootException(
          certFile
              + " is not signed by the "
              + cert.caName()
              + " CA: remove "
              + certFile
              + " and "
              + keyFile
              + " to have them made again ("
              + e.getMessage()
              + ")");
    }
    if (!CertificateChecks.keyMatches(existing, key)) {
      throw new KubebootException(
          keyFile + " does not belong to " + certFile + ": remove both to have them made again");
    }
    List<String> missing = CertificateChecks.missingSans(existing, cert.spec().subjectAltNames());
    if (!missing.isEmpty()) {
      throw new KubebootException(
          "certificate "
              + certFile
              + " lacks the subject alternative names "
              + missing
              + " the configuration asks for: remove "
              + certFile
              + " and "
              + keyFile
              + " to have them made again with the new names");
    }
    checkNotExpired(ctx, certFile, existing);
  }

  private static void checkNotExpired(InitContext ctx, Path file, X509Certificate cert)
      throws KubebootException {
    Instant notAfter = cert.getNotAfter().toInstant();
    if (notAfter.isBefore(
        ctx.issuer().notBefore().plus(dev.kubeboot.pki.CertificateIssuer.BACKDATE))) {
      throw new KubebootException(
          file
              + " expired on "
              + notAfter
              + ": renew it (kubeboot certs renew) or remove it to have it made again");
    }
  }

  private static void runServiceAccount(InitContext ctx) throws Exception {
    Path keyFile = ctx.layout().cert(KubeadmCerts.SERVICE_ACCOUNT_BASE_NAME + ".key");
    Path pubFile = ctx.layout().cert(KubeadmCerts.SERVICE_ACCOUNT_BASE_NAME + ".pub");
    Optional<PrivateKey> key = readKey(ctx, keyFile);
    if (key.isPresent()) {
      var expectedPublic = CertificateChecks.publicKeyOf(key.get());
      Optional<byte[]> pub = ctx.sink().read(pubFile);
      if (pub.isPresent()) {
        var existingPublic = Pem.decodePublicKey(new String(pub.get(), StandardCharsets.US_ASCII));
        if (!CertificateChecks.publicKeysEqual(existingPublic, expectedPublic)) {
          throw new KubebootException(
              pubFile
                  + " is not the public half of "
                  + keyFile
                  + ": remove "
                  + pubFile
                  + " to have it derived again");
        }
      } else {
        ctx.sink()
            .write(
                pubFile,
                Pem.encode(expectedPublic).getBytes(StandardCharsets.US_ASCII),
                FileMode.PRIVATE);
      }
      ctx.printer().phase(TAG, "Using the existing \"sa\" key");
      return;
    }
    ctx.printer().phase(TAG, "Generating \"sa\" key and public key");
    KeyPair keys = ctx.keys().next();
    ctx.sink()
        .write(
            keyFile,
            Pem.encode(keys.getPrivate()).getBytes(StandardCharsets.US_ASCII),
            FileMode.PRIVATE);
    ctx.sink()
        .write(
            pubFile,
            Pem.encode(keys.getPublic()).getBytes(StandardCharsets.US_ASCII),
            FileMode.PRIVATE);
  }

  /**
   * The key goes first: a certificate without its key on disk would be an error on the next run.
   */
  private static void writeKeyAndCert(
      InitContext ctx, Path keyFile, PrivateKey key, Path certFile, X509Certificate cert)
      throws java.io.IOException {
    ctx.sink()
        .write(keyFile, Pem.encode(key).getBytes(StandardCharsets.US_ASCII), FileMode.PRIVATE);
    ctx.sink()
        .write(certFile, Pem.encode(cert).getBytes(StandardCharsets.US_ASCII), FileMode.PUBLIC);
  }

  static Optional<X509Certificate> readCertificate(InitContext ctx, Path file)
      throws KubebootException, java.io.IOException {
    Optional<byte[]> bytes = ctx.sink().read(file);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Pem.decodeCertificate(new String(bytes.get(), StandardCharsets.US_ASCII)));
    } catch (PkiException e) {
      throw new KubebootException(file + ": " + e.getMessage() + "; fix or remove the file");
    }
  }

  static Optional<PrivateKey> readKey(InitContext ctx, Path file)
      throws KubebootException, java.io.IOException {
    Optional<byte[]> bytes = ctx.sink().read(file);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Pem.decodePrivateKey(new String(bytes.get(), StandardCharsets.US_ASCII)));
    } catch (PkiException e) {
      throw new KubebootException(file + ": " + e.getMessage() + "; fix or remove the file");
    }
  }

  /** Key files the selected cert steps would create, for generating keys ahead of need. */
  static int keysNeeded(InitContext ctx, String stepName) {
    if (stepName.equals("sa")) {
      return exists(ctx, ctx.layout().cert("sa.key")) ? 0 : 1;
    }
    return ctx.cert(stepName)
        .map(c -> exists(ctx, ctx.layout().cert(c.certificateFile())) ? 0 : 1)
        .orElse(0);
  }
}
