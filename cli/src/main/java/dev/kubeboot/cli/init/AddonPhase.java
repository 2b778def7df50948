package dev.kubeboot.cli.init;

import dev.kubeboot.cli.cluster.ClusterApi;
import dev.kubeboot.cli.cluster.ComponentConfigDocuments;
import dev.kubeboot.cli.cluster.ComponentConfigHash;
import dev.kubeboot.cli.config.ClusterConfiguration;
import dev.kubeboot.cli.workflow.Group;
import dev.kubeboot.cli.workflow.Phase;
import dev.kubeboot.cli.workflow.Step;
import dev.kubeboot.pki.Cidrs;
import dev.kubeboot.templates.AddonManifests;
import dev.kubeboot.templates.ApiServerUrls;
import dev.kubeboot.templates.CoreDnsAddon;
import dev.kubeboot.templates.IpText;
import dev.kubeboot.templates.KubeProxyAddon;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Objects;

/**
 * Phase "addon": kubeadm's essential addons, CoreDNS and kube-proxy, rendered by the templates
 * module and applied through the API server.
 */
final class AddonPhase {
  private static final String TAG = "addons";
  private static final String NAMESPACE = "kube-system";

  private AddonPhase() {}

  static Phase<InitContext> phase() {
    return Group.of(
        "addon",
        "Install required addons for passing conformance tests",
        Step.<InitContext>of(
                "coredns", "Install the CoreDNS addon to a Kubernetes cluster", AddonPhase::coreDns)
            .requiring(ApiPhases.kubeconfig()),
        Step.<InitContext>of(
                "kube-proxy",
                "Install the kube-proxy addon to a Kubernetes cluster",
                AddonPhase::kubeProxy)
            .requiring(ApiPhases.kubeconfig()));
  }

  private static void coreDns(InitContext ctx) throws Exception {
    ClusterConfiguration cluster = ctx.config().cluster();
    if (cluster.dns().disabled()) {
      ctx.printer().phase(TAG, "Not installing the CoreDNS addon: dns.disabled is set");
      return;
    }
    ClusterApi api = ctx.api();
    // A rerun keeps the replica count someone scaled the Deployment to.
    int replicas =
        api.get(Deployment.class, NAMESPACE, "coredns")
            .map(d -> d.getSpec() == null ? null : d.getSpec().getReplicas())
            .filter(Objects::nonNull)
            .orElse(CoreDnsAddon.DEFAULT_REPLICAS);
    var addon =
        new CoreDnsAddon(
            CoreDnsAddon.image(
                cluster.kubernetesVersion(),
                cluster.imageRepository(),
                cluster.dns().imageRepository(),
                cluster.dns().imageTag()),
            replicas,
            cluster.networking().dnsDomain(),
            IpText.format(Cidrs.clusterDnsIp(cluster.networking().serviceSubnet())),
            dev.kubeboot.cli.cluster.NodeMarking.CONTROL_PLANE_LABEL);
    for (HasMetadata object : objects(new AddonManifests().coreDns(addon))) {
      if (object instanceof ConfigMap corefile) {
        // A Corefile someone edited is kept, as kubeadm keeps a customised one.
        api.apply(corefile, (current, desired) -> keepEditedCorefile(ctx, current, desired));
      } else {
        api.createOrUpdate(object);
      }
    }
    ctx.printer().phase(TAG, "Applied essential addon: CoreDNS");
  }

  private static ConfigMap keepEditedCorefile(
      InitContext ctx, ConfigMap current, ConfigMap desired) {
    String key = "Corefile";
    String existing = current.getData() == null ? null : current.getData().get(key);
    if (existing == null || existing.equals(desired.getData().get(key))) {
      return desired;
    }
    ctx.printer().phase(TAG, "Keeping the edited Corefile of ConfigMap kube-system/coredns");
    return current;
  }

  private static void kubeProxy(InitContext ctx) throws Exception {
    ClusterConfiguration cluster = ctx.config().cluster();
    if (cluster.proxy().disabled()) {
      ctx.printer().phase(TAG, "Not installing the kube-proxy addon: proxy.disabled is set");
      return;
    }
    var endpoint = ctx.config().init().localAPIEndpoint();
    ComponentConfigDocuments.Document config =
        ComponentConfigDocuments.kubeProxy(
            cluster, endpoint.advertiseAddress(), ctx.cluster().componentConfigs());
    var addon =
        KubeProxyAddon.of(
            KubeProxyAddon.image(cluster.kubernetesVersion(), cluster.imageRepository()),
            cluster
                .controlPlaneEndpoint()
                .map(e -> ApiServerUrls.of(e.host(), e.port().orElse(endpoint.bindPort())))
                .orElse(ApiServerUrls.local(endpoint.advertiseAddress(), endpoint.bindPort())),
            config.yaml(),
            ctx.cluster().environment());
    ClusterApi api = ctx.api();
    for (HasMetadata object : objects(new AddonManifests().kubeProxy(addon))) {
      if (object instanceof ConfigMap configMap && !config.userSupplied()) {
        ComponentConfigHash.sign(configMap);
      }
      api.createOrUpdate(object);
    }
    ctx.printer().phase(TAG, "Applied essential addon: kube-proxy");
  }

  private static List<HasMetadata> objects(List<String> documents) {
    return documents.stream().map(d -> Serialization.<HasMetadata>unmarshal(d)).toList();
  }
}
