package dev.kubeboot.templates;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Builds kubeadm 1.34's four control-plane static pods (cmd/kubeadm/app/phases/controlplane and
 * etcd/local.go) as data. All kubeadm logic lives here; templates only lay the data out.
 */
public final class ControlPlaneManifests {

  static final int CONTROLLER_MANAGER_PORT = 10257;
  static final int SCHEDULER_PORT = 10259;

  static final String APISERVER_ENDPOINT_ANNOTATION =
      "kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint";
  static final String DEFAULT_FLEXVOLUME_DIR =
      "/usr/libexec/kubernetes/kubelet-plugins/volume/exec";

  /**
   * All pods, keyed by component in {@link ControlPlaneComponent#ORDERED}; no etcd when external.
   */
  public Map<ControlPlaneComponent, StaticPod> build(ControlPlaneInputs in) {
    Map<ControlPlaneComponent, StaticPod> pods = new LinkedHashMap<>();
    for (ControlPlaneComponent c : ControlPlaneComponent.ORDERED) {
      component(c, in).ifPresent(pod -> pods.put(c, pod));
    }
    return pods;
  }

  /** One pod; empty only for etcd with an external etcd cluster. */
  public Optional<StaticPod> component(ControlPlaneComponent component, ControlPlaneInputs in) {
    return switch (component) {
      case ETCD ->
          in.etcd() instanceof LocalEtcd local
              ? Optional.of(EtcdPod.build(in, local))
              : Optional.empty();
      case KUBE_APISERVER -> Optional.of(apiServer(in));
      case KUBE_CONTROLLER_MANAGER -> Optional.of(controllerManager(in));
      case KUBE_SCHEDULER -> Optional.of(scheduler(in));
    };
  }

  /**
   * The local etcd pod of a member joining an existing etcd cluster (kubeadm's etcd-join): {@code
   * --initial-cluster} lists every member, {@code --initial-cluster-state=existing}.
   *
   * @throws InvalidInputException when the inputs use an external etcd
   */
  public StaticPod joiningEtcd(ControlPlaneInputs in, String initialCluster) {
    if (!(in.etcd() instanceof LocalEtcd local)) {
      throw new InvalidInputException(
          "etcd.external",
          "set",
          "an external etcd cluster has no etcd static pod; drop the etcd manifest");
    }
    if (initialCluster == null || initialCluster.isBlank()) {
      throw new InvalidInputException(
          "initialCluster",
          String.valueOf(initialCluster),
          "a joining etcd member needs the members");
    }
    return EtcdPod.build(in, local, java.util.Optional.of(initialCluster));
  }

  /**
   * The local etcd pod.
   *
   * @throws InvalidInputException when the inputs use an external etcd
   */
  public StaticPod etcd(ControlPlaneInputs in) {
    if (!(in.etcd() instanceof LocalEtcd local)) {
      throw new InvalidInputException(
          "etcd.external",
          "set",
          "an external etcd cluster has no etcd static pod; drop the etcd manifest");
    }
    return EtcdPod.build(in, local);
  }

  public StaticPod apiServer(ControlPlaneInputs in) {
    String pki = in.certificatesDir();
    String adv = in.advertiseText();
    ComponentConfig cfg = in.apiServer();
    Flags.Defaults d =
        new Flags.Defaults()
            .set("advertise-address", adv)
            .set("enable-admission-plugins", "NodeRestriction")
            .set("service-cluster-ip-range", in.serviceSubnet())
            .set("service-account-key-file", pki + "/sa.pub")
            .set("service-account-signing-key-file", pki + "/sa.key")
            .set("service-account-issuer", "https://kubernetes.default.svc." + in.dnsDomain())
            .set("client-ca-file", pki + "/ca.crt")
            .set("tls-cert-file", pki + "/apiserver.crt")
            .set("tls-private-key-file", pki + "/apiserver.key")
            .set("kubelet-client-certificate", pki + "/apiserver-kubelet-client.crt")
            .set("kubelet-client-key", pki + "/apiserver-kubelet-client.key")
            .set("enable-bootstrap-token-auth", "true")
            .set("secure-port", Integer.toString(in.bindPort()))
            .set("allow-privileged", "true")
            .set("kubelet-preferred-address-types", "InternalIP,ExternalIP,Hostname")
            .set("requestheader-username-headers", "X-Remote-User")
            .set("requestheader-group-headers", "X-Remote-Group")
            .set("requestheader-extra-headers-prefix", "X-Remote-Extra-")
            .set("requestheader-client-ca-file", pki + "/front-proxy-ca.crt")
            .set("requestheader-allowed-names", "front-proxy-client")
            .set("proxy-client-cert-file", pki + "/front-proxy-client.crt")
            .set("proxy-client-key-file", pki + "/front-proxy-client.key");
    switch (in.etcd()) {
      case ExternalEtcd external -> {
        d.set("etcd-servers", String.join(",", external.endpoints()));
        if (!external.caFile().isEmpty()) {
          d.set("etcd-cafile", external.caFile());
        }
        // kubeadm passes the client pair only as a pair.
        if (!external.certFile().isEmpty() && !external.keyFile().isEmpty()) {
          d.set("etcd-certfile", external.certFile());
          d.set("etcd-keyfile", external.keyFile());
        }
      }
      case LocalEtcd local -> {
        String etcdServers =
            Flags.lastValue(local.extraArgs(), "advertise-client-urls")
                .orElse(
                    "https://"
                        + IpText.joinHostPort(
                            IpText.loopbackOf(in.advertiseAddress()), EtcdPod.CLIENT_PORT));
        d.set("etcd-servers", etcdServers);
        d.set("etcd-cafile", pki + "/etcd/ca.crt");
        d.set("etcd-certfile", pki + "/apiserver-etcd-client.crt");
        d.set("etcd-keyfile", pki + "/apiserver-etcd-client.key");
      }
    }
    // Structured authorization configuration and --authorization-mode are mutually exclusive.
    if (!Flags.has(cfg.extraArgs(), "authorization-config")) {
      d.set("authorization-mode", "Node,RBAC");
    }

    Volumes volumes = new Volumes().addCertificateVolumes(in);
    if (in.etcd() instanceof ExternalEtcd external) {
      volumes.addExternalEtcdCertificateDirs(external, pki);
    }
    volumes.addAll(cfg.extraVolumes());

    Probes probes =
        new Probes(
            in.release(),
            in.controlPlaneComponentHealthCheck(),
            "HTTPS",
            Probes.probeHost(adv),
            in.bindPort());
    return StaticPods.pod(
        in,
        ControlPlaneComponent.KUBE_APISERVER,
        kubernetesImage(in, ControlPlaneComponent.KUBE_APISERVER),
        Map.of(APISERVER_ENDPOINT_ANNOTATION, IpText.joinHostPort(adv, in.bindPort())),
        Flags.merge(d.toList(), cfg.extraArgs()),
        EnvVars.merge(EnvVars.proxyVariables(in.proxyEnv()), cfg.extraEnvs()),
        probes,
        probes.liveness("/livez"),
        probes.readiness("/readyz"),
        probes.startup("/livez"),
        Map.of("cpu", "250m"),
        volumes);
  }

  public StaticPod controllerManager(ControlPlaneInputs in) {
    String pki = in.certificatesDir();
    String kubeconfig = in.kubeconfigDir() + "/controller-manager.conf";
    ComponentConfig cfg = in.controllerManager();
    Flags.Defaults d =
        new Flags.Defaults()
            .set("bind-address", "127.0.0.1")
            .set("leader-elect", "true")
            .set("kubeconfig", kubeconfig)
            .set("authentication-kubeconfig", kubeconfig)
            .set("authorization-kubeconfig", kubeconfig)
            .set("client-ca-file", pki + "/ca.crt")
            .set("requestheader-client-ca-file", pki + "/front-proxy-ca.crt")
            .set("root-ca-file", pki + "/ca.crt")
            .set("service-account-private-key-file", pki + "/sa.key")
            .set("cluster-signing-cert-file", pki + "/ca.crt")
            .set("cluster-signing-key-file", pki + "/ca.key")
            .set("use-service-account-credentials", "true")
            .set("controllers", "*,bootstrapsigner,tokencleaner");
    if (in.externalCa()) {
      // kubeadm passes empty paths so that the csrsigning controller does not start without ca.key.
      d.set("cluster-signing-key-file", "").set("cluster-signing-cert-file", "");
    }
    if (in.podSubnet() != null) {
      d.set("allocate-node-cidrs", "true")
          .set("cluster-cidr", in.podSubnet())
          .set("service-cluster-ip-range", in.serviceSubnet());
    }
    d.set("cluster-name", in.clusterName());

    String flexvolumeDir =
        Flags.lastValue(cfg.extraArgs(), "flex-volume-plugin-dir").orElse(DEFAULT_FLEXVOLUME_DIR);
    Volumes volumes =
        new Volumes()
            .addCertificateVolumes(in)
            .add("flexvolume-dir", flexvolumeDir, false, Volumes.DIRECTORY_OR_CREATE)
            .add("kubeconfig", kubeconfig, true, Volumes.FILE_OR_CREATE)
            .addAll(cfg.extraVolumes());

    Probes probes = localComponentProbes(in, cfg, CONTROLLER_MANAGER_PORT);
    return StaticPods.pod(
        in,
        ControlPlaneComponent.KUBE_CONTROLLER_MANAGER,
        kubernetesImage(in, ControlPlaneComponent.KUBE_CONTROLLER_MANAGER),
        Map.of(),
        Flags.merge(d.toList(), cfg.extraArgs()),
        EnvVars.merge(EnvVars.proxyVariables(in.proxyEnv()), cfg.extraEnvs()),
        probes,
        probes.liveness("/healthz"),
        null,
        probes.startup("/healthz"),
        Map.of("cpu", "200m"),
        volumes);
  }

  public StaticPod scheduler(ControlPlaneInputs in) {
    String kubeconfig = in.kubeconfigDir() + "/scheduler.conf";
    ComponentConfig cfg = in.scheduler();
    Flags.Defaults d =
        new Flags.Defaults()
            .set("bind-address", "127.0.0.1")
            .set("leader-elect", "true")
            .set("kubeconfig", kubeconfig)
            .set("authentication-kubeconfig", kubeconfig)
            .set("authorization-kubeconfig", kubeconfig);
    Volumes volumes =
        new Volumes()
            .add("kubeconfig", kubeconfig, true, Volumes.FILE_OR_CREATE)
            .addAll(cfg.extraVolumes());

    Probes probes = localComponentProbes(in, cfg, SCHEDULER_PORT);
    boolean livezReadyz = in.release().schedulerLivezReadyz();
    return StaticPods.pod(
        in,
        ControlPlaneComponent.KUBE_SCHEDULER,
        kubernetesImage(in, ControlPlaneComponent.KUBE_SCHEDULER),
        Map.of(),
        Flags.merge(d.toList(), cfg.extraArgs()),
        EnvVars.merge(EnvVars.proxyVariables(in.proxyEnv()), cfg.extraEnvs()),
        probes,
        probes.liveness(livezReadyz ? "/livez" : "/healthz"),
        livezReadyz ? probes.readiness("/readyz") : null,
        probes.startup(livezReadyz ? "/livez" : "/healthz"),
        Map.of("cpu", "100m"),
        volumes);
  }

  /** Probes of controller-manager and scheduler: bind-address and secure-port from extraArgs. */
  private static Probes localComponentProbes(
      ControlPlaneInputs in, ComponentConfig cfg, int defaultPort) {
    String host =
        Flags.lastValue(cfg.extraArgs(), "bind-address").map(Probes::probeHost).orElse("127.0.0.1");
    int port =
        Flags.lastValue(cfg.extraArgs(), "secure-port")
            .flatMap(StaticPods::parsePort)
            .orElse(defaultPort);
    return new Probes(in.release(), in.controlPlaneComponentHealthCheck(), "HTTPS", host, port);
  }

  private static String kubernetesImage(ControlPlaneInputs in, ControlPlaneComponent c) {
    return ControlPlaneImages.kubernetes(in.imageRepository(), c.podName(), in.version());
  }
}
