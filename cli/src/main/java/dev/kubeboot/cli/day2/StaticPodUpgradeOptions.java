package dev.kubeboot.cli.day2;

import picocli.CommandLine.Option;

/** The flags upgrade apply and upgrade node share, with kubeadm's names and defaults. */
final class StaticPodUpgradeOptions {
  @Option(
      names = "--etcd-upgrade",
      arity = "0..1",
      defaultValue = "true",
      fallbackValue = "true",
      description = "Upgrade etcd too (default: ${DEFAULT-VALUE}).")
  boolean etcdUpgrade = true;

  @Option(
      names = "--certificate-renewal",
      arity = "0..1",
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Renew each component's certificates (and admin.conf) during the upgrade (default: ${DEFAULT-VALUE}).")
  boolean certificateRenewal = true;
}
