package dev.kubeboot.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KubeadmCertsTest {

  static KubeadmCertInputs inputs() throws Exception {
    return new KubeadmCertInputs(
        "cp-1",
        InetAddress.getByName("192.168.56.10"),
        "10.96.0.0/12,fd00:10:96::/112",
        "cluster.local",
        "k8s.example.com",
        List.of("10.0.0.100", "api.example.com", "*.apps.example.com", "kubernetes", "bad_name!"),
        List.of("etcd.example.com", "fd00::10", "127.0.0.1"),
        List.of("10.0.0.5"),
        false);
  }

  @Test
  void listsKubeadmsCertificatesInOrder() throws Exception {
    List<KubeadmCert> table = KubeadmCerts.table(inputs(), w -> {});

    assertThat(table)
        .extracting(KubeadmCert::name, KubeadmCert::baseName, KubeadmCert::caName)
        .containsExactly(
            tuple("ca", "ca", null),
            tuple("apiserver", "apiserver", "ca"),
            tuple("apiserver-kubelet-client", "apiserver-kubelet-client", "ca"),
            tuple("front-proxy-ca", "front-proxy-ca", null),
            tuple("front-proxy-client", "front-proxy-client", "front-proxy-ca"),
            tuple("etcd-ca", "etcd/ca", null),
            tuple("etcd-server", "etcd/server", "etcd-ca"),
            tuple("etcd-peer", "etcd/peer", "etcd-ca"),
            tuple("etcd-healthcheck-client", "etcd/healthcheck-client", "etcd-ca"),
            tuple("apiserver-etcd-client", "apiserver-etcd-client", "etcd-ca"));
    assertThat(table)
        .filteredOn(KubeadmCert::isCa)
        .extracting(KubeadmCert::name)
        .containsExactly("ca", "front-proxy-ca", "etcd-ca");
    assertThat(table.get(1).longName()).isEqualTo("certificate for serving the Kubernetes API");
    assertThat(table.get(6).certificateFile()).isEqualTo("etcd/server.crt");
    assertThat(table.get(6).keyFile()).isEqualTo("etcd/server.key");
  }

  @Test
  void subjectsAndUsagesFollowKubeadm() throws Exception {
    List<KubeadmCert> table = KubeadmCerts.table(inputs(), w -> {});

    assertThat(table)
        .extracting(
            c -> c.spec().commonName(),
            c -> c.spec().organizations(),
            c -> c.spec().extendedKeyUsages())
        .containsExactly(
            tuple("kubernetes", List.of(), Set.of()),
            tuple("kube-apiserver", List.of(), Set.of(ExtendedKeyUsage.SERVER_AUTH)),
            tuple(
                "kube-apiserver-kubelet-client",
                List.of("kubeadm:cluster-admins"),
                Set.of(ExtendedKeyUsage.CLIENT_AUTH)),
            tuple("front-proxy-ca", List.of(), Set.of()),
            tuple("front-proxy-client", List.of(), Set.of(ExtendedKeyUsage.CLIENT_AUTH)),
            tuple("etcd-ca", List.of(), Set.of()),
            tuple(
                "cp-1",
                List.of(),
                Set.of(ExtendedKeyUsage.SERVER_AUTH, ExtendedKeyUsage.CLIENT_AUTH)),
            tuple(
                "cp-1",
                List.of(),
                Set.of(ExtendedKeyUsage.SERVER_AUTH, ExtendedKeyUsage.CLIENT_AUTH)),
            tuple("kube-etcd-healthcheck-client", List.of(), Set.of(ExtendedKeyUsage.CLIENT_AUTH)),
            tuple("kube-apiserver-etcd-client", List.of(), Set.of(ExtendedKeyUsage.CLIENT_AUTH)));
  }

  @Test
  void sansFollowKubeadm() throws Exception {
    List<String> warnings = new ArrayList<>();
    List<KubeadmCert> table = KubeadmCerts.table(inputs(), warnings::add);

    assertThat(table.get(0).spec().subjectAltNames()).isEqualTo(SubjectAltNames.dns("kubernetes"));
    assertThat(table.get(1).spec().subjectAltNames())
        .isEqualTo(
            new SubjectAltNames(
                List.of(
                    "cp-1",
                    "kubernetes",
                    "kubernetes.default",
                    "kubernetes.default.svc",
                    "kubernetes.default.svc.cluster.local",
                    "k8s.example.com",
                    "api.example.com",
                    "*.apps.example.com"),
                ips("10.96.0.1", "192.168.56.10", "10.0.0.100")));
    assertThat(table.get(2).spec().subjectAltNames().isEmpty()).isTrue();
    assertThat(table.get(3).spec().subjectAltNames())
        .isEqualTo(SubjectAltNames.dns("front-proxy-ca"));
    assertThat(table.get(4).spec().subjectAltNames().isEmpty()).isTrue();
    assertThat(table.get(5).spec().subjectAltNames()).isEqualTo(SubjectAltNames.dns("etcd-ca"));
    assertThat(table.get(6).spec().subjectAltNames())
        .isEqualTo(
            new SubjectAltNames(
                List.of("cp-1", "localhost", "etcd.example.com"),
                ips("192.168.56.10", "127.0.0.1", "::1", "fd00::10")));
    assertThat(table.get(7).spec().subjectAltNames())
        .isEqualTo(
            new SubjectAltNames(
                List.of("cp-1", "localhost"),
                ips("192.168.56.10", "127.0.0.1", "::1", "10.0.0.5")));
    assertThat(table.get(8).spec().subjectAltNames().isEmpty()).isTrue();
    assertThat(table.get(9).spec().subjectAltNames().isEmpty()).isTrue();
    assertThat(warnings).singleElement().asString().contains("apiserver").contains("'bad_name!'");
  }

  @Test
  void externalEtcdDropsEveryEtcdCertificate() throws Exception {
    KubeadmCertInputs in = inputs();
    KubeadmCertInputs external =
        new KubeadmCertInputs(
            in.nodeName(),
            in.advertiseAddress(),
            in.serviceSubnet(),
            in.dnsDomain(),
            null,
            List.of(),
            List.of("bad_name!"),
            List.of(),
            true);

    List<String> warnings = new ArrayList<>();
    List<KubeadmCert> table = KubeadmCerts.table(external, warnings::add);

    assertThat(table)
        .extracting(KubeadmCert::name)
        .containsExactly(
            "ca", "apiserver", "apiserver-kubelet-client", "front-proxy-ca", "front-proxy-client");
    assertThat(warnings).isEmpty();
  }

  @Test
  void ipv6ClusterAndIpEndpointGiveIpSans() throws Exception {
    KubeadmCertInputs in =
        new KubeadmCertInputs(
            "node-a",
            InetAddress.getByName("fd00::5"),
            "fd00:10:96::/112",
            "corp.local",
            "[fd00::100]",
            null,
            null,
            null,
            false);

    SubjectAltNames sans = KubeadmCerts.table(in, w -> {}).get(1).spec().subjectAltNames();

    assertThat(sans.dnsNames())
        .contains("kubernetes.default.svc.corp.local")
        .doesNotContain("[fd00::100]");
    assertThat(sans.ipAddresses()).isEqualTo(ips("fd00:10:96::1", "fd00::5", "fd00::100"));
  }

  static List<InetAddress> ips(String... addresses) throws Exception {
    List<InetAddress> list = new ArrayList<>();
    for (String address : addresses) {
      list.add(InetAddress.getByName(address));
    }
    return list;
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0} is logged as {1}")
  @org.junit.jupiter.params.provider.CsvSource({
    "etcd-ca, etcd/ca",
    "etcd-server, etcd/server",
    "etcd-healthcheck-client, etcd/healthcheck-client",
    "apiserver-etcd-client, apiserver-etcd-client",
    "front-proxy-ca, front-proxy-ca"
  })
  void baseNamesAreKubeadms(String name, String baseName) {
    assertThat(KubeadmCerts.baseName(name)).isEqualTo(baseName);
  }
}
