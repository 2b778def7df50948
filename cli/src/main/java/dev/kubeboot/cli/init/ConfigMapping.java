package dev.kubeboot.cli.init;

import dev.kubeboot.cli.config.ClusterConfiguration;
import dev.kubeboot.cli.config.ControlPlaneComponent;
import dev.kubeboot.cli.config.ExtraArg;
import dev.kubeboot.cli.config.HostPort;
import dev.kubeboot.cli.config.KubeadmConfig;
import dev.kubeboot.pki.KubeadmCertInputs;
import dev.kubeboot.templates.Arg;
import dev.kubeboot.templates.ComponentConfig;
import dev.kubeboot.templates.ControlPlaneImages;
import dev.kubeboot.templates.ControlPlaneInputs;
import dev.kubeboot.templates.EnvVar;
import dev.kubeboot.templates.Etcd;
import dev.kubeboot.templates.ExternalEtcd;
import dev.kubeboot.templates.HostPathMount;
import dev.kubeboot.templates.LocalEtcd;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** Maps kubeadm's configuration onto the inputs of the pki and templates modules. */
public final class ConfigMapping {
  private ConfigMapping() {}

  public static ControlPlaneInputs controlPlaneInputs(
      KubeadmConfig config,
      KubeLayout layout,
      Map<String, String> environment,
      Predicate<Path> hostDirExists,
      boolean externalCa) {
    var init = config.init();
    var cluster = config.cluster();
    return ControlPlaneInputs.builder(
            cluster.kubernetesVersion(),
            init.nodeRegistration().name(),
            init.localAPIEndpoint().advertiseAddress())
        .imageRepository(cluster.imageRepository())
        .imagePullPolicy(init.nodeRegistration().imagePullPolicy())
        .bindPort(init.localAPIEndpoint().bindPort())
        .certificatesDir(layout.certDir().toString())
        .kubeconfigDir(layout.kubeconfigDir().toString())
        .serviceSubnet(cluster.networking().serviceSubnet())
        .podSubnet(cluster.networking().podSubnet().orElse(null))
        .dnsDomain(cluster.networking().dnsDomain())
        .clusterName(cluster.clusterName())
        .apiServer(
            component(
                cluster.apiServer().extraArgs(),
                cluster.apiServer().extraVolumes(),
                cluster.apiServer().extraEnvs()))
        .controllerManager(component(cluster.controllerManager()))
        .scheduler(component(cluster.scheduler()))
        .etcd(etcd(cluster))
        .controlPlaneComponentHealthCheck(init.timeouts().controlPlaneComponentHealthCheck())
        .proxyEnv(environment)
        .hostDirExists(hostDirExists)
        .externalCa(externalCa)
        .build();
  }

  /** The images of this cluster, as {@code kubeadm config images list} names them. */
  public static ControlPlaneImages controlPlaneImages(KubeadmConfig config) {
    ClusterConfiguration cluster = config.cluster();
    Optional<ControlPlaneImages.ImageOverride> etcd =
        switch (cluster.etcd()) {
          case dev.kubeboot.cli.config.LocalEtcd local ->
              Optional.of(
                  new ControlPlaneImages.ImageOverride(local.imageRepository(), local.imageTag()));
          case dev.kubeboot.cli.config.ExternalEtcd external -> Optional.empty();
        };
    return new ControlPlaneImages(
        cluster.kubernetesVersion(),
        cluster.imageRepository(),
        etcd,
        new ControlPlaneImages.ImageOverride(
            cluster.dns().imageRepository(), cluster.dns().imageTag()),
        cluster.dns().disabled(),
        cluster.proxy().disabled());
  }

  public static KubeadmCertInputs certInputs(KubeadmConfig config) {
    var cluster = config.cluster();
    List<String> serverSans = List.of();
    List<String> peerSans = List.of();
    boolean external = true;
    if (cluster.etcd() instanceof dev.kubeboot.cli.config.LocalEtcd local) {
      serverSans = local.serverCertSANs();
      peerSans = local.peerCertSANs();
      external = false;
    }
    return new KubeadmCertInputs(
        config.init().nodeRegistration().name(),
        config.init().localAPIEndpoint().advertiseAddress(),
        cluster.networking().serviceSubnet(),
        cluster.networking().dnsDomain(),
        cluster.controlPlaneEndpoint().map(HostPort::host).orElse(null),
        cluster.apiServer().certSANs(),
        serverSans,
        peerSans,
        external);
  }

  private static ComponentConfig component(ControlPlaneComponent c) {
    return component(c.extraArgs(), c.extraVolumes(), c.extraEnvs());
  }

  private static ComponentConfig component(
      List<ExtraArg> args,
      List<dev.kubeboot.cli.config.HostPathMount> volumes,
      List<dev.kubeboot.cli.config.EnvVar> envs) {
    return new ComponentConfig(
        args(args),
        volumes.stream()
            .map(
                v ->
                    new HostPathMount(
                        v.name(),
                        v.hostPath(),
                        v.mountPath(),
                        v.readOnly(),
                        v.pathType().orElse("")))
            .toList(),
        envs(envs));
  }

  private static List<Arg> args(List<ExtraArg> args) {
    return args.stream().map(a -> Arg.of(a.name(), a.value())).toList();
  }

  private static List<EnvVar> envs(List<dev.kubeboot.cli.config.EnvVar> envs) {
    return envs.stream().map(e -> EnvVar.of(e.name(), e.value())).toList();
  }

  private static Etcd etcd(ClusterConfiguration cluster) {
    return switch (cluster.etcd()) {
      case dev.kubeboot.cli.config.LocalEtcd local ->
          new LocalEtcd(
              local.imageRepository().orElse(null),
              local.imageTag().orElse(null),
              local.dataDir(),
              args(local.extraArgs()),
              envs(local.extraEnvs()),
              local.serverCertSANs(),
              local.peerCertSANs());
      case dev.kubeboot.cli.config.ExternalEtcd external ->
          new ExternalEtcd(
              external.endpoints(),
              external.caFile().orElse(null),
              external.certFile().orElse(null),
              external.keyFile().orElse(null));
    };
  }
}
