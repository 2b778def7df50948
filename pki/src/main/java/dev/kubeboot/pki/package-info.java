/**
 * kubeadm's keys and certificates as a library: key generation ({@link dev.kubeboot.pki.KeyPairs}),
 * the certificate table ({@link dev.kubeboot.pki.KubeadmCerts}), issuing ({@link
 * dev.kubeboot.pki.CertificateIssuer}), PEM ({@link dev.kubeboot.pki.Pem}) and the checks made
 * before reusing files ({@link dev.kubeboot.pki.CertificateChecks}).
 *
 * <p>Pure functions of their inputs: nothing here writes files, reads the clock behind the caller's
 * back or knows about the runner. Bouncy Castle stays inside; the API speaks JDK types.
 */
package dev.kubeboot.pki;
