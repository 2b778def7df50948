package dev.kubeboot.cli.io;

import java.util.Objects;

/**
 * Permissions of a file and of directories created for it.
 *
 * @param secret true for private keys and kubeconfigs: never printed by the dry-run sink
 */
public record FileMode(String filePermissions, String dirPermissions, boolean secret) {
  /** Certificates and other public files. */
  public static final FileMode PUBLIC = new FileMode("rw-r--r--", "rwx------", false);

  /** Private keys, kubeconfigs, manifests: 0600 in 0700 directories. */
  public static final FileMode PRIVATE = new FileMode("rw-------", "rwx------", true);

  /** Manifests: 0600 like kubeadm's, but their content may be shown. */
  public static final FileMode MANIFEST = new FileMode("rw-------", "rwx------", false);

  public FileMode {
    Objects.requireNonNull(filePermissions, "filePermissions");
    Objects.requireNonNull(dirPermissions, "dirPermissions");
  }
}
