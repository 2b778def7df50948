package dev.kubeboot.cli.init;

import java.io.PrintWriter;

/**
 * kubeadm's words after init on how to use admin.conf, printed at the end of a full init and of the
 * show-join-command phase alike.
 */
public final class AdminKubeconfigHint {
  private AdminKubeconfigHint() {}

  /** The lines from "To start using your cluster" to the KUBECONFIG export, and a blank line. */
  public static void print(PrintWriter out, String adminConf) {
    out.println("To start using your cluster, you need to run the following as a regular user:");
    out.println();
    out.println("  mkdir -p $HOME/.kube");
    out.println("  sudo cp -i " + adminConf + " $HOME/.kube/config");
    out.println("  sudo chown $(id -u):$(id -g) $HOME/.kube/config");
    out.println();
    out.println("Alternatively, if you are the root user, you can run:");
    out.println();
    out.println("  export KUBECONFIG=" + adminConf);
    out.println();
  }
}
