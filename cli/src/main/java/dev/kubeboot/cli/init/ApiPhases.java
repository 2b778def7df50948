package dev.kubeboot.cli.init;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.cluster.KubeconfigCluster;
import dev.kubeboot.cli.workflow.Prerequisite;
import java.nio.charset.StandardCharsets;

/** What the API-side phases share: the kubeconfig they need. */
final class ApiPhases {
  private ApiPhases() {}

  /** The kubeconfig the phases talk to the API server with, made by kubeconfig/admin. */
  static Prerequisite<InitContext> kubeconfig() {
    return new Prerequisite<>(
        "an admin kubeconfig (admin.conf, or the file given with --kubeconfig)",
        "kubeconfig/admin",
        ctx -> {
          try {
            return ctx.sink().exists(ctx.cluster().kubeconfig());
          } catch (java.io.IOException e) {
            return false;
          }
        });
  }

  /**
   * The cluster of the kubeconfig, read through the sink (a dry run reads what its kubeconfig phase
   * would have written).
   */
  static KubeconfigCluster kubeconfigCluster(InitContext ctx) throws Exception {
    var file = ctx.cluster().kubeconfig();
    byte[] content =
        ctx.sink()
            .read(file)
            .orElseThrow(
                () ->
                    new KubebootException(
                        "the kubeconfig "
                            + file
                            + " does not exist: run \"kubeboot init phase kubeconfig admin\" or"
                            + " name another one with --kubeconfig"));
    return KubeconfigCluster.parse(file, new String(content, StandardCharsets.UTF_8));
  }
}
