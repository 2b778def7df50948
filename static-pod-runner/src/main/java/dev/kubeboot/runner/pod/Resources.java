package dev.kubeboot.runner.pod;

import java.util.Map;

/** Resource requests and limits as quantities written in the manifest ("250m", "100Mi"). */
public record Resources(Map<String, String> requests, Map<String, String> limits) {
  public static final Resources NONE = new Resources(Map.of(), Map.of());

  public Resources {
    requests = Map.copyOf(requests);
    limits = Map.copyOf(limits);
  }
}
