package dev.kubeboot.templates;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Inputs shared by the tests; each a named scenario of the golden files. */
final class Fixtures {

  static final InetAddress ADV = ip("192.168.0.10");
  static final String NODE = "master-1";

  /** A Debian host: only the Debian CA directories exist. */
  static final Predicate<Path> DEBIAN_HOST =
      Set.of(Path.of("/etc/ca-certificates"), Path.of("/usr/share/ca-certificates"))::contains;

  private Fixtures() {}

  /** An IP literal for a test; the JDK never looks up a literal. */
  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(literal, e);
    }
  }

  static ControlPlaneInputs.Builder defaults() {
    return ControlPlaneInputs.builder(KubernetesVersion.DEFAULT, NODE, ADV)
        .hostDirExists(DEBIAN_HOST);
  }

  /** extraArgs/Volumes/Envs, proxy env, podSubnet, external etcd, external CA. */
  static ControlPlaneInputs customWithExternalEtcd() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("HTTP_PROXY", "http://proxy.corp:3128");
    env.put("https_proxy", "http://proxy.corp:3128");
    env.put("NO_PROXY", "10.96.0.0/12,192.168.0.0/16,.svc,localhost");
    env.put("no_proxy", "");
    env.put("PATH", "/usr/bin:/bin");
    return ControlPlaneInputs.builder(KubernetesVersion.parse("v1.34.1"), "cp-a", ip("10.20.30.40"))
        .hostDirExists(p -> true)
        .podSubnet("10.244.0.0/16")
        .clusterName("prod-eu")
        .dnsDomain("corp.example")
        .imageRepository("mirror.corp:5000/k8s")
        .imagePullPolicy("Never")
        .externalCa(true)
        .proxyEnv(env)
        .apiServer(
            new ComponentConfig(
                List.of(
                    Arg.of("authorization-config", "/etc/kubernetes/authz.yaml"),
                    Arg.of("enable-admission-plugins", "NodeRestriction,PodSecurity"),
                    Arg.of("service-account-issuer", "https://kubernetes.default.svc.corp.example"),
                    Arg.of("service-account-issuer", "https://issuer.corp.example"),
                    Arg.of("audit-policy-file", "/etc/kubernetes/audit/policy.yaml")),
                List.of(
                    new HostPathMount(
                        "audit",
                        "/etc/kubernetes/audit",
                        "/etc/kubernetes/audit",
                        true,
                        "DirectoryOrCreate"),
                    new HostPathMount(
                        "audit-log", "/var/log/kubernetes", "/var/log/kubernetes", false, null)),
                List.of(
                    EnvVar.of("HTTPS_PROXY", "http://apiserver-proxy.corp:3128"),
                    EnvVar.of("GODEBUG", "x509sha1=1"))))
        .controllerManager(
            new ComponentConfig(
                List.of(Arg.of("bind-address", "0.0.0.0"), Arg.of("node-cidr-mask-size", "25")),
                List.of(),
                List.of(EnvVar.of("NOTE", "a: b #not a comment"))))
        .scheduler(
            new ComponentConfig(
                List.of(Arg.of("secure-port", "10300"), Arg.of("v", "2")), List.of(), List.of()))
        .etcd(
            new ExternalEtcd(
                List.of("https://10.20.30.50:2379", "https://10.20.30.51:2379"),
                "/etc/etcd/pki/ca.crt",
                "/etc/etcd/pki/apiserver-etcd-client.crt",
                "/etc/etcd/private/apiserver-etcd-client.key"))
        .build();
  }

  /** IPv6 advertise address, local etcd with its own image, extraArgs and extraEnvs. */
  static ControlPlaneInputs ipv6LocalEtcd() {
    return ControlPlaneInputs.builder(KubernetesVersion.DEFAULT, NODE, ip("fd00:10::10"))
        .hostDirExists(DEBIAN_HOST)
        .serviceSubnet("fd00:96::/108")
        .podSubnet("fd00:244::/56")
        .bindPort(8443)
        .etcd(
            new LocalEtcd(
                "mirror.corp:5000/etcd-io",
                "3.5.21-0",
                "/data/etcd",
                List.of(
                    Arg.of("listen-metrics-urls", "http://[::1]:2382"),
                    Arg.of("quota-backend-bytes", "8589934592")),
                List.of(EnvVar.of("ETCD_UNSUPPORTED_ARCH", "arm64"), EnvVar.of("GOMAXPROCS", "4")),
                List.of(),
                List.of()))
        .build();
  }

  static ControlPlaneInputs v131() {
    return defaults().version(KubernetesVersion.parse("v1.31.13")).build();
  }

  static ControlPlaneInputs etcd34() {
    return defaults()
        .etcd(
            new LocalEtcd(
                null,
                "3.4.23-0",
                LocalEtcd.DEFAULT_DATA_DIR,
                List.of(),
                List.of(),
                List.of(),
                List.of()))
        .build();
  }

  static KubeconfigModel kubeconfig(String server, String user) {
    return new KubeconfigModel(
        "kubernetes",
        server,
        "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUMuLi4KLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=",
        user,
        "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUQuLi4KLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=",
        "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFLi4uCi0tLS0tRU5EIFJTQSBQUklWQVRFIEtFWS0tLS0tCg==");
  }
}
