package dev.kubeboot.templates;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The local etcd static pod as kubeadm's phases/etcd/local.go makes it, plus kubeboot's rules. */
final class EtcdPod {

  static final int CLIENT_PORT = 2379;
  static final int PEER_PORT = 2380;
  static final int METRICS_PORT = 2381;
  static final String CLIENT_URLS_ANNOTATION = "kubeadm.kubernetes.io/etcd.advertise-client-urls";

  private EtcdPod() {}

  static StaticPod build(ControlPlaneInputs in, LocalEtcd local) {
    return build(in, local, Optional.empty());
  }

  /**
   * @param joining the {@code --initial-cluster} of a member joining an existing cluster (every
   *     member, this one included); empty for the first member, which starts a cluster of its own
   */
  static StaticPod build(ControlPlaneInputs in, LocalEtcd local, Optional<String> joining) {
    String pki = in.certificatesDir();
    String adv = in.advertiseText();
    String node = in.nodeName();
    String localhost = IpText.format(IpText.loopbackOf(in.advertiseAddress()));
    String clientUrl = "https://" + IpText.joinHostPort(adv, CLIENT_PORT);
    String localClientUrl = "https://" + IpText.joinHostPort(localhost, CLIENT_PORT);
    String peerUrl = "https://" + IpText.joinHostPort(adv, PEER_PORT);
    String tag = local.imageTag() != null ? local.imageTag() : in.release().etcdImageTag();
    EtcdVersion etcdVersion = etcdVersion(in, tag);

    Flags.Defaults d =
        new Flags.Defaults()
            .set("name", node)
            // kubeboot: a loopback advertise address must not be listed twice, or etcd fails to
            // bind.
            .set(
                "listen-client-urls",
                localClientUrl.equals(clientUrl) ? clientUrl : localClientUrl + "," + clientUrl)
            .set("advertise-client-urls", clientUrl)
            .set("listen-peer-urls", peerUrl)
            .set("initial-advertise-peer-urls", peerUrl)
            .set("data-dir", local.dataDir())
            .set("cert-file", pki + "/etcd/server.crt")
            .set("key-file", pki + "/etcd/server.key")
            .set("trusted-ca-file", pki + "/etcd/ca.crt")
            .set("client-cert-auth", "true")
            .set("peer-cert-file", pki + "/etcd/peer.crt")
            .set("peer-key-file", pki + "/etcd/peer.key")
            .set("peer-trusted-ca-file", pki + "/etcd/ca.crt")
            .set("peer-client-cert-auth", "true")
            .set("snapshot-count", "10000")
            .set("listen-metrics-urls", "http://" + IpText.joinHostPort(localhost, METRICS_PORT))
            .set("initial-cluster", joining.orElse(node + "=" + peerUrl));
    // kubeadm's CreateStackedEtcdStaticPodManifestFile: a joining member starts in the existing
    // cluster instead of making a new one.
    joining.ifPresent(cluster -> d.set("initial-cluster-state", "existing"));
    if (etcdVersion.isAtLeast(EtcdVersion.GRADUATED_FLAGS)) {
      d.set("feature-gates", "InitialCorruptCheck=true")
          .set("watch-progress-notify-interval", "5s");
    } else {
      d.set("experimental-initial-corrupt-check", "true")
          .set("experimental-watch-progress-notify-interval", "5s");
    }

    // kubeadm lists etcd's mounts as written (data, then certs); its volumes come sorted from a
    // map.
    Volumes volumes =
        new Volumes()
            .add("etcd-data", local.dataDir(), false, Volumes.DIRECTORY_OR_CREATE)
            .add("etcd-certs", pki + "/etcd", false, Volumes.DIRECTORY_OR_CREATE)
            .mountsInInsertionOrder();

    MetricsEndpoint metrics = MetricsEndpoint.of(local.extraArgs(), localhost);
    Probes probes =
        new Probes(
            in.release(),
            in.controlPlaneComponentHealthCheck(),
            metrics.scheme,
            metrics.host,
            metrics.port);
    boolean livezReadyz = etcdVersion.isAtLeast(EtcdVersion.LIVEZ_READYZ);
    String image =
        ControlPlaneImages.etcd(
            in.imageRepository(),
            new ControlPlaneImages.ImageOverride(
                Optional.ofNullable(local.imageRepository()), Optional.of(tag)),
            in.version());
    return StaticPods.pod(
        in,
        ControlPlaneComponent.ETCD,
        image,
        Map.of(CLIENT_URLS_ANNOTATION, clientUrl),
        Flags.merge(d.toList(), local.extraArgs()),
        EnvVars.merge(local.extraEnvs()),
        probes,
        // kubeboot extension: etcd before 3.5.11 has only /health; these are kubeadm 1.30's probes.
        probes.liveness(livezReadyz ? "/livez" : "/health?exclude=NOSPACE&serializable=true"),
        livezReadyz ? probes.readiness("/readyz") : null,
        probes.startup(livezReadyz ? "/readyz" : "/health?serializable=false"),
        Map.of("cpu", "100m", "memory", "100Mi"),
        volumes);
  }

  private static EtcdVersion etcdVersion(ControlPlaneInputs in, String tag) {
    return EtcdVersion.fromImageTag(tag)
        .orElseGet(
            () -> {
              String fallback = in.release().etcdImageTag();
              // Looked up here, not in a static field: starting the logging backend costs init
              // ~0.3 s, and only this rare case logs.
              Logger log = LoggerFactory.getLogger(EtcdPod.class);
              log.warn(
                  "etcd.local.imageTag \"{}\" names no etcd version; choosing flags and probes for"
                      + " etcd {} (kubeadm's default for Kubernetes {})",
                  tag,
                  fallback,
                  in.version());
              return EtcdVersion.fromImageTag(fallback).orElseThrow();
            });
  }

  /** Host, port and scheme of the etcd metrics endpoint (kubeadm's GetEtcdProbeEndpoint). */
  private record MetricsEndpoint(String scheme, String host, int port) {
    static MetricsEndpoint of(List<Arg> extraArgs, String localhost) {
      MetricsEndpoint fallback = new MetricsEndpoint("HTTP", localhost, METRICS_PORT);
      Optional<String> urls = Flags.lastValue(extraArgs, "listen-metrics-urls");
      if (urls.isEmpty()) {
        return fallback;
      }
      String first = urls.get().split(",", -1)[0].trim();
      URI uri;
      try {
        uri = new URI(first);
      } catch (URISyntaxException e) {
        return fallback;
      }
      String scheme = "https".equals(uri.getScheme()) ? "HTTPS" : "HTTP";
      // Split the authority ourselves: java.net.URI gives no host or port for "http://:2381".
      String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
      authority = authority.substring(authority.lastIndexOf('@') + 1);
      String host;
      String port = "";
      if (authority.startsWith("[") && authority.indexOf(']') > 0) {
        int close = authority.indexOf(']');
        host = authority.substring(1, close);
        if (authority.startsWith(":", close + 1)) {
          port = authority.substring(close + 2);
        }
      } else if (authority.indexOf(':') >= 0) {
        host = authority.substring(0, authority.lastIndexOf(':'));
        port = authority.substring(authority.lastIndexOf(':') + 1);
      } else {
        host = authority;
      }
      return new MetricsEndpoint(
          scheme,
          host.isEmpty() ? localhost : host,
          StaticPods.parsePort(port).orElse(METRICS_PORT));
    }
  }
}
