package dev.kubeboot.cli.day2;

import dev.kubeboot.templates.ControlPlaneComponent;
import java.util.Arrays;
import java.util.stream.Collectors;

/** A static pod `kubeboot manifests` can regenerate, with the init phase that renders it. */
enum ManifestComponent {
  ETCD(ControlPlaneComponent.ETCD, "etcd/local"),
  KUBE_APISERVER(ControlPlaneComponent.KUBE_APISERVER, "control-plane/apiserver"),
  KUBE_CONTROLLER_MANAGER(
      ControlPlaneComponent.KUBE_CONTROLLER_MANAGER, "control-plane/controller-manager"),
  KUBE_SCHEDULER(ControlPlaneComponent.KUBE_SCHEDULER, "control-plane/scheduler");

  private final ControlPlaneComponent component;
  private final String phasePath;

  ManifestComponent(ControlPlaneComponent component, String phasePath) {
    this.component = component;
    this.phasePath = phasePath;
  }

  String podName() {
    return component.podName();
  }

  String fileName() {
    return component.manifestFileName();
  }

  String phasePath() {
    return phasePath;
  }

  static ManifestComponent parse(String name) throws dev.kubeboot.cli.UsageException {
    for (ManifestComponent c : values()) {
      if (c.podName().equals(name)) {
        return c;
      }
    }
    throw new dev.kubeboot.cli.UsageException(
        "unknown component \""
            + name
            + "\": choose from "
            + Arrays.stream(values())
                .map(ManifestComponent::podName)
                .collect(Collectors.joining(", ")));
  }
}
