package dev.kubeboot.cli.io;

import java.util.Objects;

/**
 * Permissions of a file and of directories created for it.
 *
 * @param secret true for private keys and kubeconfigs: never printed by the dry-run sink
 * @param showInDryRun the dry-run sink prints the content
 */
public record FileMode(
    String filePermissions, String dirPermissions, boolean secret, boolean showInDryRun) {
  /** Certificates and other public files. */
  public static final FileMode PUBLIC = new FileMode("rw-r--r--", "rwx------", false, false);

  /** Private keys and kubeconfigs: 0600 in 0700 directories. */
  public static final FileMode PRIVATE = new FileMode("rw-------", "rwx------", true, false);

  /** Manifests: 0600 like kubeadm's; a dry run shows them, as kubeadm's does. */
  public static final FileMode MANIFEST = new FileMode("rw-------", "rwx------", false, true);

  public FileMode {
    Objects.requireNonNull(filePermissions, "filePermissions");
    Objects.requireNonNull(dirPermissions, "dirPermissions");
  }
}
