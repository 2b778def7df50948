package dev.kubeboot.cli.check;

import dev.kubeboot.cli.init.KubeLayout;
import dev.kubeboot.pki.CertificateChecks;
import dev.kubeboot.pki.Pem;
import dev.kubeboot.pki.PkiException;
import dev.kubeboot.pki.SubjectAltNames;
import dev.kubeboot.runner.manifest.ManifestDecoder;
import dev.kubeboot.runner.manifest.ManifestException;
import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.pod.Volume;
import dev.kubeboot.runner.pod.VolumeSource;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Whether a node's manifests, certificates and kubeconfigs agree, read from the manifests as the
 * runner would start them: the files each component's flags name must exist, each certificate must
 * chain to the CA file the same component is told to trust, match its key, be valid now and (for
 * serving certificates) name the addresses clients use; each kubeconfig must carry the cluster CA
 * and a client certificate that CA signed.
 */
public final class NodeChecker {
  static final List<String> COMPONENTS =
      List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler");

  /** A certificate a component serves or presents, its key and the CA its peers check it with. */
  private record CertUse(
      String component, String certFlag, Path cert, Path key, Path ca, List<String> sans) {}

  private static final Set<String> CREATED_WHEN_MISSING = Set.of("DirectoryOrCreate");

  private final KubeLayout layout;
  private final Optional<String> controlPlaneEndpoint;
  private final Clock clock;

  /**
   * @param controlPlaneEndpoint the configuration's controlPlaneEndpoint host; empty to take the
   *     host admin.conf points at (where kubeadm writes the endpoint)
   */
  public NodeChecker(KubeLayout layout, Optional<String> controlPlaneEndpoint, Clock clock) {
    this.layout = layout;
    this.controlPlaneEndpoint = controlPlaneEndpoint;
    this.clock = clock;
  }

  public List<Finding> check() {
    Instant now = clock.instant();
    var findings = new ArrayList<Finding>();
    Map<String, CommandFlags> flags = new LinkedHashMap<>();
    for (String component : COMPONENTS) {
      Path manifest = layout.manifest(component + ".yaml");
      if (Files.isRegularFile(manifest)) {
        findings.add(manifest(component, manifest, flags));
      }
    }
    if (flags.isEmpty() && findings.isEmpty()) {
      findings.add(
          new Finding(
              "manifest",
              layout.manifestDir().toString(),
              "",
              List.of(
                  "no control-plane manifest (etcd.yaml, kube-apiserver.yaml, ...) in "
                      + layout.manifestDir()
                      + ": is --kubernetes-dir right, and did init run?"),
              List.of()));
      return findings;
    }
    Optional<String> endpoint = controlPlaneEndpoint.or(this::adminServerHost);
    var uses = new ArrayList<CertUse>();
    var cas = new LinkedHashSet<Path>();
    CommandFlags apiserver = flags.get("kube-apiserver");
    if (apiserver != null) {
      var sans = new ArrayList<String>();
      apiserver.get("advertise-address").ifPresent(sans::add);
      endpoint.filter(h -> !sans.contains(h)).ifPresent(sans::add);
      use(
          uses,
          "kube-apiserver",
          apiserver,
          "tls-cert-file",
          "tls-private-key-file",
          "client-ca-file",
          sans);
      use(
          uses,
          "kube-apiserver",
          apiserver,
          "kubelet-client-certificate",
          "kubelet-client-key",
          "client-ca-file",
          List.of());
      use(
          uses,
          "kube-apiserver",
          apiserver,
          "proxy-client-cert-file",
          "proxy-client-key-file",
          "requestheader-client-ca-file",
          List.of());
      use(
          uses,
          "kube-apiserver",
          apiserver,
          "etcd-certfile",
          "etcd-keyfile",
          "etcd-cafile",
          List.of());
      for (String ca : List.of("client-ca-file", "requestheader-client-ca-file", "etcd-cafile")) {
        apiserver.get(ca).map(Path::of).ifPresent(cas::add);
      }
    }
    CommandFlags etcd = flags.get("etcd");
    if (etcd != null) {
      use(
          uses,
          "etcd",
          etcd,
          "cert-file",
          "key-file",
          "trusted-ca-file",
          hosts(etcd, "advertise-client-urls"));
      use(
          uses,
          "etcd",
          etcd,
          "peer-cert-file",
          "peer-key-file",
          "peer-trusted-ca-file",
          hosts(etcd, "initial-advertise-peer-urls"));
      for (String ca : List.of("trusted-ca-file", "peer-trusted-ca-file")) {
        etcd.get(ca).map(Path::of).ifPresent(cas::add);
      }
    }
    CommandFlags manager = flags.get("kube-controller-manager");
    if (manager != null) {
      for (String ca :
          List.of(
              "root-ca-file",
              "cluster-signing-cert-file",
              "requestheader-client-ca-file",
              "client-ca-file")) {
        manager.get(ca).map(Path::of).ifPresent(cas::add);
      }
    }
    for (Path ca : cas) {
      findings.add(authority(ca, now));
    }
    for (CertUse use : uses) {
      findings.add(certificate(use, now));
    }
    Path clusterCa =
        Optional.ofNullable(apiserver)
            .flatMap(a -> a.get("client-ca-file"))
            .map(Path::of)
            .orElse(layout.cert("ca.crt"));
    var kubeconfigs = new LinkedHashSet<Path>();
    for (String name : List.of("admin.conf", "super-admin.conf", "kubelet.conf")) {
      if (Files.exists(layout.kubeconfig(name))) {
        kubeconfigs.add(layout.kubeconfig(name));
      }
    }
    for (String component : List.of("kube-controller-manager", "kube-scheduler")) {
      CommandFlags f = flags.get(component);
      if (f != null) {
        for (String flag :
            List.of("kubeconfig", "authentication-kubeconfig", "authorization-kubeconfig")) {
          f.get(flag).map(Path::of).ifPresent(kubeconfigs::add);
        }
      }
    }
    for (Path kubeconfig : kubeconfigs) {
      findings.add(kubeconfig(kubeconfig, clusterCa, now));
    }
    return findings;
  }

  private static void use(
      List<CertUse> uses,
      String component,
      CommandFlags flags,
      String certFlag,
      String keyFlag,
      String caFlag,
      List<String> sans) {
    Optional<String> cert = flags.get(certFlag);
    if (cert.isEmpty() || uses.stream().anyMatch(u -> u.cert().equals(Path.of(cert.get())))) {
      return;
    }
    uses.add(
        new CertUse(
            component,
            certFlag,
            Path.of(cert.get()),
            flags.get(keyFlag).map(Path::of).orElse(null),
            flags.get(caFlag).map(Path::of).orElse(null),
            sans));
  }

  /** The hosts of a flag's URLs (etcd's advertise URLs), loopback left out. */
  private static List<String> hosts(CommandFlags flags, String flag) {
    var hosts = new ArrayList<String>();
    for (String url : flags.getOrDefault(flag, "").split(",")) {
      if (url.isBlank()) {
        continue;
      }
      String host = URI.create(url.strip()).getHost();
      if (host != null) {
        host = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!host.equals("127.0.0.1") && !host.equals("::1") && !hosts.contains(host)) {
          hosts.add(host);
        }
      }
    }
    return hosts;
  }

  private Finding manifest(String component, Path file, Map<String, CommandFlags> flags) {
    StaticPod pod;
    try {
      pod = new ManifestDecoder(clock).decode(Files.readAllBytes(file), file, "node");
    } catch (ManifestException | IOException e) {
      return new Finding(
          "manifest", file.toString(), "", List.of("cannot be read: " + e.getMessage()), List.of());
    }
    Container container = pod.spec().containers().getFirst();
    flags.put(component, CommandFlags.of(container));
    var problems = new ArrayList<String>();
    var notes = new ArrayList<String>();
    int hostPaths = 0;
    for (Volume volume : pod.spec().volumes()) {
      if (volume.source() instanceof VolumeSource.HostPath hostPath) {
        hostPaths++;
        Path path = Path.of(hostPath.path());
        if (Files.exists(path)) {
          continue;
        }
        String what = "hostPath volume " + volume.name() + ": " + path + " does not exist";
        if (CREATED_WHEN_MISSING.contains(hostPath.type())) {
          notes.add(what + " (type DirectoryOrCreate: the runner creates it empty)");
        } else {
          problems.add(
              what
                  + (hostPath.type().isEmpty() ? "" : " (type " + hostPath.type() + ")")
                  + ": "
                  + component
                  + " would start without it");
        }
      }
    }
    return new Finding(
        "manifest",
        file.toString(),
        "decodes; " + hostPaths + " hostPath volume(s) present",
        problems,
        notes);
  }

  private Finding authority(Path file, Instant now) {
    var problems = new ArrayList<String>();
    X509Certificate ca;
    try {
      ca = readCertificate(file);
    } catch (IOException | PkiException e) {
      return new Finding("ca", file.toString(), "", List.of(e.getMessage()), List.of());
    }
    if (!CertificateChecks.isCa(ca)) {
      problems.add("is not a CA (basicConstraints CA:true missing)");
    } else {
      try {
        CertificateChecks.verifySignedBy(ca, ca);
      } catch (PkiException e) {
        problems.add("is not self-signed: " + e.getMessage());
      }
    }
    validity(ca, now, problems);
    Path key = keyBeside(file);
    String keyNote = "";
    if (Files.exists(key)) {
      keyMatches(ca, key, problems);
      keyNote = ", key matches";
    }
    return new Finding(
        "ca",
        file.toString(),
        "self-signed CA" + keyNote + ", valid until " + CertificateChecks.notAfter(ca),
        problems,
        List.of());
  }

  private Finding certificate(CertUse use, Instant now) {
    var problems = new ArrayList<String>();
    String owner = use.component() + " --" + use.certFlag();
    X509Certificate cert;
    try {
      cert = readCertificate(use.cert());
    } catch (IOException | PkiException e) {
      return new Finding(
          "certificate",
          use.cert().toString(),
          "",
          List.of(e.getMessage() + " (" + owner + ")"),
          List.of());
    }
    validity(cert, now, problems);
    if (use.key() == null) {
      problems.add(owner + " names no key file");
    } else {
      keyMatches(cert, use.key(), problems);
    }
    if (use.ca() == null) {
      problems.add(use.component() + " names no CA for it");
    } else {
      try {
        CertificateChecks.verifySignedBy(cert, readCertificate(use.ca()));
      } catch (IOException | PkiException e) {
        problems.add("does not chain to " + use.ca() + ": " + e.getMessage());
      }
    }
    if (!use.sans().isEmpty()) {
      List<String> missing =
          CertificateChecks.missingSans(cert, SubjectAltNames.parse(use.sans(), w -> {}));
      if (!missing.isEmpty()) {
        problems.add(
            "its SANs do not cover "
                + String.join(", ", missing)
                + " (clients connect there): renew it with the address in the configuration's"
                + " certSANs, or regenerate it with init phase certs");
      }
    }
    return new Finding(
        "certificate",
        use.cert().toString(),
        "signed by "
            + use.ca()
            + ", key matches"
            + (use.sans().isEmpty() ? "" : ", SANs cover " + String.join(", ", use.sans()))
            + ", valid until "
            + CertificateChecks.notAfter(cert),
        problems,
        List.of());
  }

  private Finding kubeconfig(Path file, Path clusterCa, Instant now) {
    var problems = new ArrayList<String>();
    Map<String, Object> cluster;
    Map<String, Object> user;
    try {
      Map<String, Object> doc =
          asMap(new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file)));
      String contextName = String.valueOf(doc.get("current-context"));
      Map<String, Object> context = named(doc, "contexts", contextName, "context");
      cluster = named(doc, "clusters", String.valueOf(context.get("cluster")), "cluster");
      user = named(doc, "users", String.valueOf(context.get("user")), "user");
    } catch (IOException | RuntimeException e) {
      return new Finding(
          "kubeconfig",
          file.toString(),
          "",
          List.of("cannot be read: " + (e.getMessage() == null ? e.toString() : e.getMessage())),
          List.of());
    }
    X509Certificate ca = null;
    try {
      ca = readCertificate(clusterCa);
      X509Certificate embedded = pemField(file, cluster, "certificate-authority");
      if (!embedded.equals(ca)) {
        problems.add(
            "certificate-authority-data is not the cluster CA "
                + clusterCa
                + " (clients would not trust the API server)");
      }
    } catch (IOException | PkiException | IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    X509Certificate client;
    try {
      client = pemField(file, user, "client-certificate");
    } catch (IOException | PkiException | IllegalArgumentException e) {
      problems.add(e.getMessage());
      return new Finding("kubeconfig", file.toString(), "", problems, List.of());
    }
    validity(client, now, problems);
    if (ca != null) {
      try {
        CertificateChecks.verifySignedBy(client, ca);
      } catch (PkiException e) {
        problems.add(
            "its client certificate does not chain to " + clusterCa + ": " + e.getMessage());
      }
    }
    try {
      PrivateKey key = Pem.decodePrivateKey(pemText(file, user, "client-key"));
      if (!CertificateChecks.keyMatches(client, key)) {
        problems.add("client-key-data is not the key of its client certificate");
      }
    } catch (IOException | PkiException | IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    return new Finding(
        "kubeconfig",
        file.toString(),
        "carries the cluster CA; client certificate of "
            + client.getSubjectX500Principal().getName()
            + " signed by it, key matches, valid until "
            + CertificateChecks.notAfter(client),
        problems,
        List.of());
  }

  /** The certificate a kubeconfig field holds: {@code <field>-data} (base64 PEM) or a file path. */
  private static X509Certificate pemField(Path file, Map<String, Object> entry, String field)
      throws IOException {
    return Pem.decodeCertificate(pemText(file, entry, field));
  }

  private static String pemText(Path file, Map<String, Object> entry, String field)
      throws IOException {
    if (entry.get(field + "-data") instanceof String data) {
      try {
        return new String(Base64.getDecoder().decode(data.strip()), StandardCharsets.US_ASCII);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ": " + field + "-data is not base64", e);
      }
    }
    if (entry.get(field) instanceof String path) {
      Path referenced = file.resolveSibling(path);
      if (!Files.isRegularFile(referenced)) {
        throw new IllegalArgumentException(
            file + ": " + field + " " + referenced + " does not exist");
      }
      return Files.readString(referenced);
    }
    throw new IllegalArgumentException(
        file + ": has neither " + field + "-data nor " + field + " for its current context");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object value) {
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw new IllegalArgumentException("not a YAML mapping");
  }

  private static Map<String, Object> named(
      Map<String, Object> doc, String list, String name, String field) {
    if (doc.get(list) instanceof List<?> entries) {
      for (Object entry : entries) {
        Map<String, Object> map = asMap(entry);
        if (name.equals(String.valueOf(map.get("name")))) {
          return asMap(map.get(field));
        }
      }
    }
    throw new IllegalArgumentException(list + " has no entry named \"" + name + "\"");
  }

  private static X509Certificate readCertificate(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + " does not exist");
    }
    try {
      return Pem.decodeCertificate(Files.readString(file));
    } catch (PkiException e) {
      throw new PkiException(file + " is not a PEM certificate: " + e.getMessage(), e);
    }
  }

  private static void keyMatches(X509Certificate cert, Path keyFile, List<String> problems) {
    try {
      if (!Files.isRegularFile(keyFile)) {
        problems.add("its key " + keyFile + " does not exist");
      } else if (!CertificateChecks.keyMatches(
          cert, Pem.decodePrivateKey(Files.readString(keyFile)))) {
        problems.add(keyFile + " is not its key (the public keys differ)");
      }
    } catch (IOException | PkiException e) {
      problems.add(keyFile + " is not a PEM private key: " + e.getMessage());
    }
  }

  private static void validity(X509Certificate cert, Instant now, List<String> problems) {
    if (now.isAfter(CertificateChecks.notAfter(cert))) {
      problems.add("expired on " + CertificateChecks.notAfter(cert) + ": run kubeboot certs renew");
    } else if (now.isBefore(CertificateChecks.notBefore(cert))) {
      problems.add(
          "not valid before " + CertificateChecks.notBefore(cert) + " (is the clock right?)");
    }
  }

  private static Path keyBeside(Path certificate) {
    String name = certificate.getFileName().toString();
    return certificate.resolveSibling(
        (name.endsWith(".crt") ? name.substring(0, name.length() - 4) : name) + ".key");
  }

  /** The host admin.conf points at: the control-plane endpoint when one is configured. */
  private Optional<String> adminServerHost() {
    Path admin = layout.kubeconfig("admin.conf");
    try {
      Map<String, Object> doc =
          asMap(new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(admin)));
      Map<String, Object> context =
          named(doc, "contexts", String.valueOf(doc.get("current-context")), "context");
      Map<String, Object> cluster =
          named(doc, "clusters", String.valueOf(context.get("cluster")), "cluster");
      String host = URI.create(String.valueOf(cluster.get("server"))).getHost();
      return Optional.ofNullable(host)
          .map(h -> h.startsWith("[") ? h.substring(1, h.length() - 1) : h);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
