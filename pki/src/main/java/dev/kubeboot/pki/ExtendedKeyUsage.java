package dev.kubeboot.pki;

/** The extended key usages kubeadm puts on its leaf certificates, in the order it lists them. */
public enum ExtendedKeyUsage {
  SERVER_AUTH,
  CLIENT_AUTH
}
