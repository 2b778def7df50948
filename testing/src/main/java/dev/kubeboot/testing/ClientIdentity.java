package dev.kubeboot.testing;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Who a request comes from, and how that is known: a verified client certificate (user from the
 * subject's CN, groups from its O values, as kube-apiserver's x509 authenticator), a bootstrap
 * token, or nobody (system:anonymous).
 */
record ClientIdentity(String user, List<String> groups, Source source) {
  /** How the identity was established. */
  enum Source {
    CERTIFICATE,
    BOOTSTRAP_TOKEN,
    ANONYMOUS
  }

  static final ClientIdentity ANONYMOUS =
      new ClientIdentity("system:anonymous", List.of("system:unauthenticated"), Source.ANONYMOUS);

  ClientIdentity {
    groups = List.copyOf(groups);
  }

  /** The verified peer certificate's identity, or empty for a client that sent none. */
  static Optional<ClientIdentity> of(SSLSession session) {
    if (session == null) {
      return Optional.empty();
    }
    Certificate[] peer;
    try {
      peer = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
    if (peer.length == 0 || !(peer[0] instanceof X509Certificate leaf)) {
      return Optional.empty();
    }
    return Optional.of(of(leaf));
  }

  static ClientIdentity of(X509Certificate certificate) {
    String user = "";
    List<String> groups = new ArrayList<>();
    try {
      for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          user = rdn.getValue().toString();
        } else if (rdn.getType().equalsIgnoreCase("O")) {
          groups.add(rdn.getValue().toString());
        }
      }
    } catch (InvalidNameException e) {
      throw new IllegalStateException(
          "the JDK returned an unparsable subject " + certificate.getSubjectX500Principal(), e);
    }
    groups.add("system:authenticated");
    return new ClientIdentity(user, groups, Source.CERTIFICATE);
  }
}
