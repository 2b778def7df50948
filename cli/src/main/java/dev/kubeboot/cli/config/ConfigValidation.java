package dev.kubeboot.cli.config;

import dev.kubeboot.pki.Cidrs;
import dev.kubeboot.pki.DnsNames;
import dev.kubeboot.pki.IpLiterals;
import dev.kubeboot.runner.manifest.GoDuration;
import dev.kubeboot.templates.KubernetesVersion;
import java.net.Inet6Address;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * kubeadm's validation of the defaulted configuration (apis/kubeadm/validation), as a separate pass
 * that collects every error before reporting them together. Each error names where the value came
 * from ({@code file:line}, or the flag), the field path, the value and what is expected.
 */
final class ConfigValidation {
  private final KubeadmConfig config;
  private final NodePaths paths;
  private final List<String> errors = new ArrayList<>();

  private ConfigValidation(KubeadmConfig config, NodePaths paths) {
    this.config = config;
    this.paths = paths;
  }

  /**
   * @throws ConfigException listing every invalid value, one per line
   */
  static void validate(KubeadmConfig config, NodePaths paths, Consumer<String> warnings) {
    ConfigValidation v = new ConfigValidation(config, paths);
    v.init(config.init());
    v.cluster(config.cluster(), warnings);
    v.kubelet();
    if (!v.errors.isEmpty()) {
      throw new ConfigException(String.join("\n", v.errors));
    }
  }

  private void init(InitConfiguration init) {
    String name = init.nodeRegistration().name();
    check(
        DnsNames.isSubdomain(name),
        "InitConfiguration.nodeRegistration.name",
        name,
        "a lower-case RFC 1123 DNS subdomain such as node-1 (it becomes the etcd member name and"
            + " a certificate name)"
            + (config.origins().containsKey("InitConfiguration.nodeRegistration.name")
                ? ""
                : "; it was taken from the host name: set --node-name or"
                    + " InitConfiguration.nodeRegistration.name"));
    int bindPort = init.localAPIEndpoint().bindPort();
    check(
        bindPort >= 1 && bindPort <= 65535,
        "InitConfiguration.localAPIEndpoint.bindPort",
        Integer.toString(bindPort),
        "a port between 1 and 65535");
    Timeouts t = init.timeouts();
    positive(t.controlPlaneComponentHealthCheck(), "controlPlaneComponentHealthCheck");
    positive(t.kubeletHealthCheck(), "kubeletHealthCheck");
    positive(t.kubernetesAPICall(), "kubernetesAPICall");
    positive(t.etcdAPICall(), "etcdAPICall");
  }

  private void cluster(ClusterConfiguration c, Consumer<String> warnings) {
    KubernetesVersion version = c.kubernetesVersion();
    check(
        version.isSupported(),
        "ClusterConfiguration.kubernetesVersion",
        version.text(),
        "a release kubeboot renders: v1.31 through v1.34 (as kubeadm 1.34), e.g. "
            + KubernetesVersion.DEFAULT);
    Networking net = c.networking();
    subnets(net.serviceSubnet(), "ClusterConfiguration.networking.serviceSubnet");
    net.podSubnet().ifPresent(p -> subnets(p, "ClusterConfiguration.networking.podSubnet"));
    check(
        DnsNames.isSubdomain(net.dnsDomain()),
        "ClusterConfiguration.networking.dnsDomain",
        net.dnsDomain(),
        "a DNS domain such as cluster.local");
    absolute(c.certificatesDir(), "ClusterConfiguration.certificatesDir");
    sans(c.apiServer().certSANs(), "ClusterConfiguration.apiServer.certSANs");
    switch (c.etcd()) {
      case LocalEtcd local -> {
        absolute(local.dataDir(), "ClusterConfiguration.etcd.local.dataDir");
        sans(local.serverCertSANs(), "ClusterConfiguration.etcd.local.serverCertSANs");
        sans(local.peerCertSANs(), "ClusterConfiguration.etcd.local.peerCertSANs");
      }
      case ExternalEtcd external -> externalEtcd(external);
    }
    for (Map.Entry<String, Boolean> gate : c.featureGates().entrySet()) {
      String path = "ClusterConfiguration.featureGates." + gate.getKey();
      if (!FeatureGates.KNOWN.contains(gate.getKey())) {
        error(
            path,
            "unrecognized feature-gate key \""
                + gate.getKey()
                + "\"; kubeadm 1.34 knows "
                + String.join(", ", FeatureGates.KNOWN));
      } else if (!gate.getKey().equals(FeatureGates.CONTROL_PLANE_KUBELET_LOCAL_MODE)) {
        warnings.accept(
            where(path) + path + ": accepted for kubeadm compatibility but not used by kubeboot");
      }
    }
    positive(c.certificateValidityPeriod(), "ClusterConfiguration.certificateValidityPeriod");
    positive(c.caCertificateValidityPeriod(), "ClusterConfiguration.caCertificateValidityPeriod");
    if (c.certificateValidityPeriod().compareTo(c.caCertificateValidityPeriod()) > 0) {
      warnings.accept(
          "ClusterConfiguration.certificateValidityPeriod ("
              + GoDuration.format(c.certificateValidityPeriod())
              + ") is longer than caCertificateValidityPeriod ("
              + GoDuration.format(c.caCertificateValidityPeriod())
              + "): certificates will outlive the CA that signed them");
    }
  }

  private void kubelet() {
    config
        .staticPodPath()
        .ifPresent(
            path ->
                check(
                    java.nio.file.Path.of(path)
                        .toAbsolutePath()
                        .normalize()
                        .equals(java.nio.file.Path.of(paths.manifestDir())),
                    "KubeletConfiguration.staticPodPath",
                    path,
                    "the manifest directory init writes to, "
                        + paths.manifestDir()
                        + " (it is <kubernetes-dir>/manifests; choose it with --kubernetes-dir, or"
                        + " drop staticPodPath)"));
  }

  /** kubeadm's ValidateIPNetFromString for one family or dual-stack. */
  private void subnets(String value, String path) {
    String[] parts = value.split(",", -1);
    if (parts.length > 2) {
      invalid(path, value, "one CIDR, or two (IPv4 and IPv6) separated by a comma");
      return;
    }
    int v6 = 0;
    for (String part : parts) {
      String cidr = part.trim();
      if (!Cidrs.isCidr(cidr)) {
        invalid(path, value, "a CIDR such as 10.96.0.0/12");
        return;
      }
      String address = cidr.substring(0, cidr.indexOf('/'));
      if (IpLiterals.parse(address).orElseThrow() instanceof Inet6Address) {
        v6++;
      }
    }
    if (parts.length == 2 && v6 != 1) {
      invalid(
          path,
          value,
          "one CIDR, or two from each family for dual-stack networking (one IPv4, one IPv6)");
    }
  }

  /** kubeadm's ValidateCertSANs: an IP, a DNS subdomain or a wildcard one. */
  private void sans(List<String> sans, String path) {
    for (String san : sans) {
      check(
          IpLiterals.parse(san).isPresent()
              || DnsNames.isSubdomain(san)
              || DnsNames.isWildcardSubdomain(san),
          path,
          san,
          "an IP address, a DNS name or a DNS name with a subdomain wildcard such as"
              + " *.example.com (DNS names in lower case)");
    }
  }

  /**
   * As kubeadm's ValidateEtcd: endpoints are http(s) URLs with a host and port, and https ones when
   * any client file is given; certFile and keyFile together, and with them caFile; the files as
   * absolute paths. https endpoints without files are valid, as in kubeadm (preflight then finds
   * out whether such an etcd answers).
   */
  private void externalEtcd(ExternalEtcd external) {
    String path = "ClusterConfiguration.etcd.external";
    check(
        !external.endpoints().isEmpty(),
        path + ".endpoints",
        "[]",
        "at least one etcd endpoint such as https://10.0.0.1:2379");
    boolean anyFile =
        external.caFile().isPresent()
            || external.certFile().isPresent()
            || external.keyFile().isPresent();
    for (int i = 0; i < external.endpoints().size(); i++) {
      String endpoint = external.endpoints().get(i);
      check(
          etcdUrl(endpoint) && (!anyFile || endpoint.startsWith("https://")),
          path + ".endpoints[" + i + "]",
          endpoint,
          anyFile
              ? "an https etcd client URL such as https://10.0.0.1:2379 (client certificate files"
                  + " are given)"
              : "an etcd client URL with scheme, host and port such as https://10.0.0.1:2379");
    }
    var files = new LinkedHashMap<String, Optional<String>>();
    files.put("caFile", external.caFile());
    files.put("certFile", external.certFile());
    files.put("keyFile", external.keyFile());
    for (var file : files.entrySet()) {
      file.getValue().ifPresent(f -> absolute(f, path + "." + file.getKey()));
    }
    if (external.certFile().isPresent() != external.keyFile().isPresent()) {
      error(
          path + (external.certFile().isPresent() ? ".keyFile" : ".certFile"),
          "certFile and keyFile are given together or not at all");
    } else if (external.certFile().isPresent() && external.caFile().isEmpty()) {
      error(
          path + ".caFile",
          "required with certFile and keyFile: give the CA certificate that signed the etcd"
              + " servers' certificates (PEM)");
    }
  }

  private static boolean etcdUrl(String endpoint) {
    try {
      var uri = new URI(endpoint);
      return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          && uri.getHost() != null
          && uri.getPort() > 0
          && (uri.getRawPath() == null
              || uri.getRawPath().isEmpty()
              || uri.getRawPath().equals("/"))
          && uri.getRawQuery() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private void absolute(String dir, String path) {
    check(dir.startsWith("/"), path, dir, "an absolute path");
  }

  private void positive(Duration d, String name) {
    String path = name.contains(".") ? name : "InitConfiguration.timeouts." + name;
    check(!d.isNegative() && !d.isZero(), path, GoDuration.format(d), "a positive duration");
  }

  private void check(boolean ok, String path, String value, String expected) {
    if (!ok) {
      invalid(path, value, expected);
    }
  }

  private void invalid(String path, String value, String expected) {
    error(path, "invalid value \"" + value + "\"; expected " + expected);
  }

  private void error(String path, String message) {
    String origin = config.origins().get(path);
    if (origin != null && origin.startsWith("--")) {
      errors.add(origin + ": " + message);
    } else {
      errors.add(where(path) + path + ": " + message);
    }
  }

  private String where(String path) {
    String origin = config.origins().get(path);
    return origin == null ? "" : origin + ": ";
  }
}
