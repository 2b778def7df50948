package dev.kubeboot.templates;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders static pods to YAML text shaped like kubeadm's manifests. Templates are parsed once per
 * renderer; keep one renderer and reuse it. Thread-safe.
 */
public final class ManifestRenderer {

  private static final String TEMPLATE = "static-pod.yaml.ftl";

  private final ControlPlaneManifests manifests;
  private final TemplateEngine engine;

  public ManifestRenderer(ControlPlaneManifests manifests) {
    this.manifests = manifests;
    this.engine = new TemplateEngine(List.of(TEMPLATE));
  }

  public ManifestRenderer() {
    this(new ControlPlaneManifests());
  }

  /** The manifest of one pod; same pod, same bytes. */
  public String render(StaticPod pod) {
    return engine.render(TEMPLATE, Map.of("pod", pod));
  }

  /**
   * Every manifest for these inputs keyed by file name ({@code etcd.yaml}, {@code
   * kube-apiserver.yaml}, ...) in {@link ControlPlaneComponent#ORDERED}; no etcd.yaml with an
   * external etcd.
   */
  public Map<String, String> renderAll(ControlPlaneInputs in) {
    Map<String, String> files = new LinkedHashMap<>();
    manifests
        .build(in)
        .forEach((component, pod) -> files.put(component.manifestFileName(), render(pod)));
    return files;
  }
}
