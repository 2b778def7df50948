/**
 * kubeadm 1.34's control-plane static pod manifests, kubeconfig files and essential addons
 * (CoreDNS, kube-proxy), as data and as YAML.
 *
 * <p>Flow: the CLI maps kubeadm's configuration onto {@link
 * dev.kubeboot.templates.ControlPlaneInputs} (defaults in {@code ControlPlaneInputs.builder});
 * {@link dev.kubeboot.templates.ControlPlaneManifests} computes every flag, probe, volume and env
 * var into {@link dev.kubeboot.templates.StaticPod} records; {@link
 * dev.kubeboot.templates.ManifestRenderer} and {@link dev.kubeboot.templates.KubeconfigRenderer}
 * lay them out through FreeMarker templates that hold no logic and escape every string into a safe
 * YAML scalar. Nothing here writes files or knows about the runner.
 */
package dev.kubeboot.templates;
