package dev.kubeboot.cli.init;

import dev.kubeboot.cli.cluster.CertificateKey;
import dev.kubeboot.cli.cluster.CertsCipher;
import dev.kubeboot.cli.cluster.ClusterApi;
import dev.kubeboot.cli.cluster.UploadCertsObjects;
import dev.kubeboot.cli.token.BootstrapTokenSecrets;
import dev.kubeboot.cli.token.BootstrapTokenString;
import dev.kubeboot.cli.workflow.Phase;
import dev.kubeboot.cli.workflow.Step;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;

/**
 * Phase "upload-certs": with {@code --upload-certs}, the shared CA and service-account material
 * encrypted into {@code kube-system/kubeadm-certs} for control-plane nodes that join within two
 * hours.
 */
final class UploadCertsPhase {
  private UploadCertsPhase() {}

  static Phase<InitContext> phase() {
    return Step.<InitContext>of(
            "upload-certs", "Upload certificates to kubeadm-certs", UploadCertsPhase::upload)
        .requiring(ApiPhases.kubeconfig());
  }

  private static void upload(InitContext ctx) throws Exception {
    ClusterSetup setup = ctx.cluster();
    if (!setup.uploadCerts()) {
      ctx.printer().phase("upload-certs", "Skipping phase. Please see --upload-certs");
      return;
    }
    CertificateKey key = setup.certificateKey().orElseThrow();
    ctx.printer()
        .phase(
            "upload-certs",
            "Storing the certificates in Secret \"%s\" in the \"%s\" Namespace",
            UploadCertsObjects.NAME,
            UploadCertsObjects.NAMESPACE);
    ClusterApi api = ctx.api();
    // The owner first: the Secret names it (and its uid) so that it goes when the token expires.
    Secret owner =
        api.createOrUpdate(
            BootstrapTokenSecrets.toSecret(
                UploadCertsObjects.ttlToken(BootstrapTokenString.generate(setup.random())),
                setup.clock().instant()));
    List<UploadCertsObjects.CertFile> files =
        UploadCertsObjects.files(ctx.layout().certDir(), ctx.config().cluster().etcd());
    var data =
        UploadCertsObjects.encryptedData(
            files, ctx.sink()::read, new CertsCipher(key, setup.random()));
    api.createOrUpdate(UploadCertsObjects.secret(data, owner));
    api.createOrUpdate(UploadCertsObjects.role());
    api.createOrUpdate(UploadCertsObjects.roleBinding());
    if (!setup.skipCertificateKeyPrint()) {
      ctx.printer().phase("upload-certs", "Using certificate key:");
      ctx.printer().line(key.hex());
    }
  }
}
