package dev.kubeboot.cli.day2;

import picocli.CommandLine.Option;

/**
 * The flags upgrade apply and upgrade node share, with kubeadm's names and defaults. Each is null
 * when not given, so that the config file's value counts then (a flag given wins over the file).
 */
final class StaticPodUpgradeOptions {
  @Option(
      names = "--etcd-upgrade",
      arity = "0..1",
      fallbackValue = "true",
      description = "Upgrade etcd too (default: true, or the config file's etcdUpgrade).")
  Boolean etcdUpgrade;

  @Option(
      names = "--certificate-renewal",
      arity = "0..1",
      fallbackValue = "true",
      description =
          "Renew each component's certificates (and admin.conf) during the upgrade (default: true, or the config file's certificateRenewal).")
  Boolean certificateRenewal;
}
