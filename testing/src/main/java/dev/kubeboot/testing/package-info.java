/**
 * Test doubles ("stand-ins") for kube-apiserver, kube-controller-manager and kube-scheduler.
 *
 * <p>None of this is Kubernetes. The stand-ins read the flags kubeboot renders into the
 * control-plane manifests and serve the health endpoints over TLS the way the real components do.
 * The API server keeps a small Kubernetes API whose objects live in the etcd it is pointed at (in
 * kube-apiserver's key layout, through etcd's v3 JSON gateway), and the controller-manager runs the
 * bootstrap token signer and cleaner against it, so that kubeboot's end-to-end tests, {@code
 * kubectl} and kubeadm-style clients have a real peer on a machine without Kubernetes binaries.
 * {@link dev.kubeboot.testing.StandInMain} is the entry point; {@code testing/bin/} holds launchers
 * named like the real binaries.
 */
package dev.kubeboot.testing;
