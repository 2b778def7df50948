package dev.kubeboot.cli.cluster;

import dev.kubeboot.cli.KubebootException;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * kubeadm's EnsureAdminClusterRoleBinding: admin.conf's user is in group {@code
 * kubeadm:cluster-admins}, which may do nothing until ClusterRoleBinding {@code
 * kubeadm:cluster-admins} binds it to {@code cluster-admin}. admin.conf creates the binding if it
 * may; when the API server refuses (403), super-admin.conf ({@code system:masters}) creates it.
 */
public final class AdminBinding {
  public static final String NAME = "kubeadm:cluster-admins";

  private AdminBinding() {}

  public static ClusterRoleBinding binding() {
    return Rbac.clusterRoleBinding(NAME, "cluster-admin", Rbac.group(NAME));
  }

  /**
   * @param admin the API as admin.conf
   * @param superAdmin super-admin.conf, used only after a 403
   */
  public static void ensure(ClusterApi admin, Path superAdmin, Duration timeout, Clock clock)
      throws KubebootException, InterruptedException {
    try {
      admin.createOrUpdate(binding());
    } catch (ApiRequestException e) {
      if (e.code() != 403) {
        throw e;
      }
      if (!Files.isRegularFile(superAdmin)) {
        throw new KubebootException(
            "admin.conf may not create ClusterRoleBinding "
                + NAME
                + " and there is no "
                + superAdmin
                + " to create it with: run \"kubeboot init phase kubeconfig super-admin\"",
            e);
      }
      try (ClusterApi root = ClusterClients.open(superAdmin, timeout, clock)) {
        root.createOrUpdate(binding());
      }
    }
  }
}
