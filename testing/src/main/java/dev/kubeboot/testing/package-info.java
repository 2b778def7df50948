/**
 * Test doubles ("stand-ins") for kube-apiserver, kube-controller-manager and kube-scheduler.
 *
 * <p>None of this is Kubernetes. The stand-ins read the flags kubeboot renders into the
 * control-plane manifests, serve the health endpoints over TLS the way the real components do, and
 * (for the API server) keep a small in-memory Kubernetes API built on fabric8's
 * kubernetes-server-mock, so that kubeboot's end-to-end tests and {@code kubectl} have a real peer
 * on a machine without Kubernetes binaries. {@link dev.kubeboot.testing.StandInMain} is the entry
 * point; {@code testing/bin/} holds launchers named like the real binaries.
 */
package dev.kubeboot.testing;
