package dev.kubeboot.cli.config;

import dev.kubeboot.pki.IpLiterals;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Puts the {@code init} flags into the configuration before it is defaulted, as kubeadm's flags
 * fill its versioned structs. A flag given on the command line replaces the file's value (a list
 * flag the whole list); kubeadm refuses most flags next to {@code --config}, kubeboot allows them
 * so that one file can serve several nodes. Flag values are parsed here, at the edge, and every bad
 * one is reported at once, naming the flag.
 */
final class FlagOverlay {
  private FlagOverlay() {}

  static KubeadmConfig apply(KubeadmConfig config, InitFlags flags) {
    List<String> problems = new ArrayList<>();
    Map<String, String> origins = new HashMap<>(config.origins());
    InitConfiguration init = config.init();
    ClusterConfiguration.Builder cluster = config.cluster().toBuilder();

    if (flags.kubernetesVersion() != null) {
      KubeadmDecoder.version(flags.kubernetesVersion())
          .ifPresentOrElse(
              v -> {
                cluster.kubernetesVersion = v;
                origins.put("ClusterConfiguration.kubernetesVersion", "--kubernetes-version");
              },
              () ->
                  problems.add(
                      invalid(
                          "--kubernetes-version",
                          flags.kubernetesVersion(),
                          "a Kubernetes release such as v1.34.2 (kubeboot resolves no labels like"
                              + " stable-1 or latest: it never goes online)")));
    }
    if (flags.apiserverAdvertiseAddress() != null) {
      Optional<java.net.InetAddress> ip = IpLiterals.parse(flags.apiserverAdvertiseAddress());
      if (ip.isPresent()) {
        init = init.withLocalAPIEndpoint(init.localAPIEndpoint().withAdvertiseAddress(ip.get()));
        origins.put(
            "InitConfiguration.localAPIEndpoint.advertiseAddress", "--apiserver-advertise-address");
      } else {
        problems.add(
            invalid(
                "--apiserver-advertise-address",
                flags.apiserverAdvertiseAddress(),
                "an IPv4 or IPv6 address literal such as 192.168.0.10"));
      }
    }
    if (flags.apiserverBindPort() != null) {
      init =
          init.withLocalAPIEndpoint(
              init.localAPIEndpoint().withBindPort(flags.apiserverBindPort()));
      origins.put("InitConfiguration.localAPIEndpoint.bindPort", "--apiserver-bind-port");
    }
    if (flags.controlPlaneEndpoint() != null) {
      HostPort.Result endpoint = HostPort.parse(flags.controlPlaneEndpoint());
      if (endpoint.problem() == null) {
        cluster.controlPlaneEndpoint = endpoint.value();
        origins.put("ClusterConfiguration.controlPlaneEndpoint", "--control-plane-endpoint");
      } else {
        problems.add(
            invalid("--control-plane-endpoint", flags.controlPlaneEndpoint(), endpoint.problem()));
      }
    }
    if (flags.apiserverCertExtraSans() != null) {
      cluster.apiServer = cluster.apiServer.withCertSANs(flags.apiserverCertExtraSans());
      origins.put("ClusterConfiguration.apiServer.certSANs", "--apiserver-cert-extra-sans");
    }
    Networking net = cluster.networking;
    if (flags.serviceCidr() != null
        || flags.podNetworkCidr() != null
        || flags.serviceDnsDomain() != null) {
      cluster.networking =
          new Networking(
              or(flags.serviceCidr(), net.serviceSubnet()),
              flags.podNetworkCidr() != null
                  ? Optional.of(flags.podNetworkCidr())
                  : net.podSubnet(),
              or(flags.serviceDnsDomain(), net.dnsDomain()));
      flagOrigin(origins, flags.serviceCidr(), "networking.serviceSubnet", "--service-cidr");
      flagOrigin(origins, flags.podNetworkCidr(), "networking.podSubnet", "--pod-network-cidr");
      flagOrigin(origins, flags.serviceDnsDomain(), "networking.dnsDomain", "--service-dns-domain");
    }
    if (flags.nodeName() != null) {
      init = init.withNodeRegistration(init.nodeRegistration().withName(flags.nodeName()));
      origins.put("InitConfiguration.nodeRegistration.name", "--node-name");
    }
    if (flags.imageRepository() != null) {
      cluster.imageRepository = flags.imageRepository();
      origins.put("ClusterConfiguration.imageRepository", "--image-repository");
    }
    if (flags.certDir() != null) {
      cluster.certificatesDir = flags.certDir();
      origins.put("ClusterConfiguration.certificatesDir", "--cert-dir");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(String.join("\n", problems));
    }
    return config.with(init, cluster.build()).withOrigins(origins);
  }

  static String invalid(String where, String value, String expected) {
    return where + ": invalid value \"" + value + "\"; expected " + expected;
  }

  private static void flagOrigin(
      Map<String, String> origins, String value, String path, String flag) {
    if (value != null) {
      origins.put("ClusterConfiguration." + path, flag);
    }
  }

  private static String or(String flag, String file) {
    return flag != null ? flag : file;
  }
}
