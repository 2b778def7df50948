package dev.kubeboot.pki;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** kubeadm's certificate table (cmd/kubeadm certlist) as data, in kubeadm's order. */
public final class KubeadmCerts {
  public static final String CA = "ca";
  public static final String FRONT_PROXY_CA = "front-proxy-ca";
  public static final String ETCD_CA = "etcd-ca";

  /** Base name of the service-account key pair (sa.key, sa.pub); a key pair, not a certificate. */
  public static final String SERVICE_ACCOUNT_BASE_NAME = "sa";

  /** The group kubeadm gives apiserver-kubelet-client and admin.conf. */
  public static final String CLUSTER_ADMINS_GROUP = "kubeadm:cluster-admins";

  private static final Set<ExtendedKeyUsage> SERVER = Set.of(ExtendedKeyUsage.SERVER_AUTH);
  private static final Set<ExtendedKeyUsage> CLIENT = Set.of(ExtendedKeyUsage.CLIENT_AUTH);
  private static final Set<ExtendedKeyUsage> SERVER_AND_CLIENT =
      Set.of(ExtendedKeyUsage.SERVER_AUTH, ExtendedKeyUsage.CLIENT_AUTH);

  /**
   * Each certificate's file base name by its phase name, in kubeadm's order; kubeadm's log lines
   * name certificates by base name ({@code "etcd/ca"}), also when external etcd leaves some out.
   */
  private static final Map<String, String> BASE_NAMES =
      orderedMap(
          CA,
          "ca",
          "apiserver",
          "apiserver",
          "apiserver-kubelet-client",
          "apiserver-kubelet-client",
          FRONT_PROXY_CA,
          "front-proxy-ca",
          "front-proxy-client",
          "front-proxy-client",
          ETCD_CA,
          "etcd/ca",
          "etcd-server",
          "etcd/server",
          "etcd-peer",
          "etcd/peer",
          "etcd-healthcheck-client",
          "etcd/healthcheck-client",
          "apiserver-etcd-client",
          "apiserver-etcd-client");

  private KubeadmCerts() {}

  /**
   * The file base name of a certificate of the table, such as {@code etcd/server} for {@code
   * etcd-server}.
   *
   * @throws IllegalArgumentException for a name not in kubeadm's table
   */
  public static String baseName(String certName) {
    String base = BASE_NAMES.get(certName);
    if (base == null) {
      throw new IllegalArgumentException(
          "\""
              + certName
              + "\" is not a certificate of kubeadm's table; known: "
              + BASE_NAMES.keySet());
    }
    return base;
  }

  private static Map<String, String> orderedMap(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return Collections.unmodifiableMap(map);
  }

  /**
   * The certificates of {@code kubeadm init phase certs}: ca, apiserver, apiserver-kubelet-client,
   * front-proxy-ca, front-proxy-client, then (without external etcd) etcd-ca, etcd-server,
   * etcd-peer, etcd-healthcheck-client, apiserver-etcd-client. Invalid certSANs entries are left
   * out and reported to {@code warnings}, naming the certificate.
   */
  public static List<KubeadmCert> table(KubeadmCertInputs in, Consumer<String> warnings) {
    List<KubeadmCert> table = new ArrayList<>();
    table.add(
        ca(
            CA,
            "kubernetes",
            "self-signed Kubernetes CA to provision identities for other Kubernetes components"));
    table.add(
        leaf(
            "apiserver",
            CA,
            "certificate for serving the Kubernetes API",
            "kube-apiserver",
            List.of(),
            SERVER,
            apiServerSans(in, warnings)));
    table.add(
        leaf(
            "apiserver-kubelet-client",
            CA,
            "certificate for the API server to connect to kubelet",
            "kube-apiserver-kubelet-client",
            List.of(CLUSTER_ADMINS_GROUP),
            CLIENT,
            SubjectAltNames.none()));
    table.add(
        ca(
            FRONT_PROXY_CA,
            "front-proxy-ca",
            "self-signed CA to provision identities for front proxy"));
    table.add(
        leaf(
            "front-proxy-client",
            FRONT_PROXY_CA,
            "certificate for the front proxy client",
            "front-proxy-client",
            List.of(),
            CLIENT,
            SubjectAltNames.none()));
    if (in.externalEtcd()) {
      return List.copyOf(table);
    }
    table.add(ca(ETCD_CA, "etcd-ca", "self-signed CA to provision identities for etcd"));
    table.add(
        leaf(
            "etcd-server",
            ETCD_CA,
            "certificate for serving etcd",
            in.nodeName(),
            List.of(),
            SERVER_AND_CLIENT,
            etcdSans(in, in.etcdServerCertSans(), "etcd-server", warnings)));
    table.add(
        leaf(
            "etcd-peer",
            ETCD_CA,
            "certificate for etcd nodes to communicate with each other",
            in.nodeName(),
            List.of(),
            SERVER_AND_CLIENT,
            etcdSans(in, in.etcdPeerCertSans(), "etcd-peer", warnings)));
    table.add(
        leaf(
            "etcd-healthcheck-client",
            ETCD_CA,
            "certificate for liveness probes to healthcheck etcd",
            "kube-etcd-healthcheck-client",
            List.of(),
            CLIENT,
            SubjectAltNames.none()));
    table.add(
        leaf(
            "apiserver-etcd-client",
            ETCD_CA,
            "certificate the apiserver uses to access etcd",
            "kube-apiserver-etcd-client",
            List.of(),
            CLIENT,
            SubjectAltNames.none()));
    return List.copyOf(table);
  }

  /**
   * apiserver: DNS node, kubernetes, kubernetes.default, kubernetes.default.svc,
   * kubernetes.default.svc.&lt;dnsDomain&gt;; IP service IP, advertise address; then the
   * controlPlaneEndpoint host and apiServer.certSANs.
   */
  static SubjectAltNames apiServerSans(KubeadmCertInputs in, Consumer<String> warnings) {
    List<String> dns =
        new ArrayList<>(
            List.of(
                in.nodeName(),
                "kubernetes",
                "kubernetes.default",
                "kubernetes.default.svc",
                "kubernetes.default.svc." + in.dnsDomain()));
    List<InetAddress> ips =
        new ArrayList<>(
            List.of(Cidrs.apiServerServiceIp(in.serviceSubnet()), in.advertiseAddress()));
    String endpointHost = in.controlPlaneEndpointHost();
    if (endpointHost != null) {
      String host =
          endpointHost.startsWith("[") && endpointHost.endsWith("]")
              ? endpointHost.substring(1, endpointHost.length() - 1)
              : endpointHost;
      IpLiterals.parse(host).ifPresentOrElse(ips::add, () -> dns.add(host));
    }
    return new SubjectAltNames(dns, ips)
        .plus(SubjectAltNames.parse(in.apiServerCertSans(), prefixed("apiserver", warnings)));
  }

  /**
   * etcd server and peer: DNS node, localhost; IP advertise address, 127.0.0.1, ::1; then the extra
   * SANs.
   */
  static SubjectAltNames etcdSans(
      KubeadmCertInputs in, List<String> extraSans, String certName, Consumer<String> warnings) {
    List<InetAddress> ips =
        List.of(
            in.advertiseAddress(),
            IpLiterals.parse("127.0.0.1").orElseThrow(),
            IpLiterals.parse("::1").orElseThrow());
    return new SubjectAltNames(List.of(in.nodeName(), "localhost"), ips)
        .plus(SubjectAltNames.parse(extraSans, prefixed(certName, warnings)));
  }

  private static Consumer<String> prefixed(String certName, Consumer<String> warnings) {
    return message -> warnings.accept("certificate " + certName + ": " + message);
  }

  private static KubeadmCert ca(String name, String commonName, String longName) {
    return new KubeadmCert(
        name,
        baseName(name),
        null,
        longName,
        new CertificateSpec(commonName, List.of(), Set.of(), SubjectAltNames.dns(commonName)));
  }

  private static KubeadmCert leaf(
      String name,
      String caName,
      String longName,
      String commonName,
      List<String> organizations,
      Set<ExtendedKeyUsage> usages,
      SubjectAltNames sans) {
    return new KubeadmCert(
        name,
        baseName(name),
        caName,
        longName,
        new CertificateSpec(commonName, organizations, usages, sans));
  }
}
