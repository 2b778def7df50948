package dev.kubeboot.pki;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** What a certificate says about its holder: subject, usages and alternative names. */
public record CertificateSpec(
    String commonName,
    List<String> organizations,
    Set<ExtendedKeyUsage> extendedKeyUsages,
    SubjectAltNames subjectAltNames) {

  public CertificateSpec {
    Objects.requireNonNull(commonName, "commonName");
    if (commonName.isBlank()) {
      throw new IllegalArgumentException("a certificate needs a non-empty common name");
    }
    organizations = List.copyOf(organizations);
    extendedKeyUsages =
        extendedKeyUsages.isEmpty()
            ? Set.of()
            : Collections.unmodifiableSet(EnumSet.copyOf(extendedKeyUsages));
    Objects.requireNonNull(subjectAltNames, "subjectAltNames");
  }

  /** A client certificate: CN and groups, clientAuth, no SANs (kubeconfig users). */
  public static CertificateSpec client(String commonName, List<String> organizations) {
    return new CertificateSpec(
        commonName, organizations, Set.of(ExtendedKeyUsage.CLIENT_AUTH), SubjectAltNames.none());
  }
}
