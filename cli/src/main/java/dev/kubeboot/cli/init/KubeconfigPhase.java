package dev.kubeboot.cli.init;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.config.FeatureGates;
import dev.kubeboot.cli.config.KubeadmConfig;
import dev.kubeboot.cli.io.FileMode;
import dev.kubeboot.cli.workflow.Group;
import dev.kubeboot.cli.workflow.Phase;
import dev.kubeboot.cli.workflow.Prerequisite;
import dev.kubeboot.cli.workflow.Step;
import dev.kubeboot.pki.CertificateAuthority;
import dev.kubeboot.pki.CertificateSpec;
import dev.kubeboot.pki.KubeadmCerts;
import dev.kubeboot.pki.Pem;
import dev.kubeboot.templates.ApiServerUrls;
import dev.kubeboot.templates.KubeconfigModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Phase "kubeconfig": kubeadm's five kubeconfig files, each with a client certificate signed by the
 * CA.
 */
final class KubeconfigPhase {
  private static final String TAG = "kubeconfig";

  /**
   * One kubeconfig file.
   *
   * @param local true: points at this node's API server, not at the control-plane endpoint
   */
  record Spec(
      String phase,
      String fileName,
      String summary,
      String commonName,
      List<String> organizations,
      boolean local) {}

  static final List<Spec> FILES =
      List.of(
          new Spec(
              "admin",
              "admin.conf",
              "Generate a kubeconfig file for the admin to use and for kubeadm itself",
              "kubernetes-admin",
              List.of(KubeadmCerts.CLUSTER_ADMINS_GROUP),
              false),
          new Spec(
              "super-admin",
              "super-admin.conf",
              "Generate a kubeconfig file for the super-admin",
              "kubernetes-super-admin",
              List.of("system:masters"),
              false),
          new Spec(
              "kubelet",
              "kubelet.conf",
              "Generate a kubeconfig file for the kubelet to use only for cluster bootstrapping purposes",
              null,
              List.of("system:nodes"),
              false),
          new Spec(
              "controller-manager",
              "controller-manager.conf",
              "Generate a kubeconfig file for the controller manager to use",
              "system:kube-controller-manager",
              List.of(),
              true),
          new Spec(
              "scheduler",
              "scheduler.conf",
              "Generate a kubeconfig file for the scheduler to use",
              "system:kube-scheduler",
              List.of(),
              true));

  private KubeconfigPhase() {}

  static Phase<InitContext> phase() {
    var children = new ArrayList<Phase<InitContext>>();
    for (Spec spec : FILES) {
      children.add(
          Step.<InitContext>of(spec.phase(), spec.summary(), ctx -> write(ctx, spec))
              .requiring(
                  new Prerequisite<>(
                      "the cluster CA (ca.crt and ca.key)",
                      "certs/ca",
                      KubeconfigPhase::caPresent)));
    }
    return new Group<>(
        "kubeconfig",
        "Generate all kubeconfig files necessary to establish the control plane and the admin kubeconfig file",
        children);
  }

  private static boolean caPresent(InitContext ctx) {
    try {
      return ctx.sink().exists(ctx.layout().cert("ca.crt"))
          && ctx.sink().exists(ctx.layout().cert("ca.key"));
    } catch (java.io.IOException e) {
      return false;
    }
  }

  static String commonName(KubeadmConfig config, Spec spec) {
    return spec.commonName() != null
        ? spec.commonName()
        : "system:node:" + config.init().nodeRegistration().name();
  }

  /**
   * kubeadm's getKubeConfigSpecsBase: the controller-manager and scheduler talk to this node's API
   * server; admin, super-admin and kubelet to the control-plane endpoint when there is one. With
   * the ControlPlaneKubeletLocalMode feature gate (on by default from kubeadm 1.33) kubelet.conf
   * points at this node's API server too.
   */
  static String server(KubeadmConfig config, Spec spec) {
    var endpoint = config.init().localAPIEndpoint();
    var cluster = config.cluster();
    String local = ApiServerUrls.local(endpoint.advertiseAddress(), endpoint.bindPort());
    boolean kubeletLocal =
        spec.phase().equals("kubelet")
            && FeatureGates.controlPlaneKubeletLocalMode(
                cluster.featureGates(), cluster.kubernetesVersion().kubeadmRelease());
    if (spec.local() || kubeletLocal) {
      return local;
    }
    return cluster
        .controlPlaneEndpoint()
        .map(e -> ApiServerUrls.of(e.host(), e.port().orElse(endpoint.bindPort())))
        .orElse(local);
  }

  static void write(InitContext ctx, Spec spec) throws Exception {
    Path file = ctx.layout().kubeconfig(spec.fileName());
    Path caFile = ctx.layout().cert("ca.crt");
    X509Certificate ca =
        CertsPhase.readCertificate(ctx, caFile)
            .orElseThrow(
                () ->
                    new KubebootException(
                        "the cluster CA " + caFile + " is missing: run phase certs/ca first"));
    String caData =
        Base64.getEncoder().encodeToString(Pem.encode(ca).getBytes(StandardCharsets.US_ASCII));
    String server = server(ctx.config(), spec);
    Optional<byte[]> existing = ctx.sink().read(file);
    if (existing.isPresent()) {
      reuse(ctx, file, existing.get(), caData, server);
      return;
    }
    PrivateKey caKey =
        CertsPhase.readKey(ctx, ctx.layout().cert("ca.key"))
            .orElseThrow(
                () ->
                    new KubebootException(
                        "cannot make "
                            + file
                            + ": the CA key "
                            + ctx.layout().cert("ca.key")
                            + " is missing (external CA mode): provide "
                            + file
                            + " yourself"));
    ctx.printer().phase(TAG, "Writing \"%s\" kubeconfig file", spec.fileName());
    KeyPair keys = ctx.keys().next();
    String cn = commonName(ctx.config(), spec);
    X509Certificate client =
        ctx.issuer()
            .issue(
                CertificateSpec.client(cn, spec.organizations()),
                keys.getPublic(),
                new CertificateAuthority(ca, caKey),
                ctx.config().cluster().certificateValidityPeriod(),
                ca.getNotBefore().toInstant());
    var model =
        new KubeconfigModel(
            ctx.config().cluster().clusterName(),
            server,
            caData,
            cn,
            Base64.getEncoder()
                .encodeToString(Pem.encode(client).getBytes(StandardCharsets.US_ASCII)),
            Base64.getEncoder()
                .encodeToString(Pem.encode(keys.getPrivate()).getBytes(StandardCharsets.US_ASCII)));
    ctx.sink()
        .write(
            file,
            ctx.kubeconfigRenderer().render(model).getBytes(StandardCharsets.UTF_8),
            FileMode.PRIVATE);
  }

  /**
   * kubeadm's rule: a file with the same CA is kept; another server is a warning, another CA an
   * error.
   */
  private static void reuse(
      InitContext ctx, Path file, byte[] content, String caData, String server)
      throws KubebootException {
    Map<String, Object> cluster = firstCluster(file, content);
    Object existingCa = cluster.get("certificate-authority-data");
    if (!caData.equals(existingCa)) {
      throw new KubebootException(
          "a kubeconfig file "
              + file
              + " exists already but has got the wrong CA cert: remove it to have it made again, or restore the CA it was made with");
    }
    Object existingServer = cluster.get("server");
    if (!server.equals(existingServer)) {
      ctx.warn(
          "a kubeconfig file "
              + file
              + " exists already but has an unexpected API Server URL: expected: "
              + server
              + ", got: "
              + existingServer);
    }
    ctx.printer().phase(TAG, "Using existing kubeconfig file: \"%s\"", file);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> firstCluster(Path file, byte[] content)
      throws KubebootException {
    try {
      Object doc =
          new Yaml(new SafeConstructor(new LoaderOptions()))
              .load(new String(content, StandardCharsets.UTF_8));
      var clusters = (List<Map<String, Object>>) ((Map<String, Object>) doc).get("clusters");
      return (Map<String, Object>) clusters.get(0).get("cluster");
    } catch (RuntimeException e) {
      throw new KubebootException(
          file
              + " is not a kubeconfig file kubeboot can read ("
              + e.getMessage()
              + "): fix or remove it");
    }
  }

  static int keysNeeded(InitContext ctx, String stepName) {
    for (Spec spec : FILES) {
      if (spec.phase().equals(stepName)) {
        try {
          return ctx.sink().exists(ctx.layout().kubeconfig(spec.fileName())) ? 0 : 1;
        } catch (java.io.IOException e) {
          return 1;
        }
      }
    }
    return 0;
  }
}
