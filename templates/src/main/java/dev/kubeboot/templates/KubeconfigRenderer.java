package dev.kubeboot.templates;

import java.util.List;
import java.util.Map;

/** Renders kubeconfig files shaped like kubeadm's. Templates are parsed once; thread-safe. */
public final class KubeconfigRenderer {

  private static final String TEMPLATE = "kubeconfig.yaml.ftl";

  private final TemplateEngine engine = new TemplateEngine(List.of(TEMPLATE));

  public String render(KubeconfigModel kubeconfig) {
    return engine.render(
        TEMPLATE, Map.of("kc", kubeconfig, "contextName", kubeconfig.contextName()));
  }
}
