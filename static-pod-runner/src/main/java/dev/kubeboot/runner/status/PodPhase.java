package dev.kubeboot.runner.status;

import java.util.Arrays;

/** {@code status.phase} of a pod, spelled as the API spells it. */
public enum PodPhase {
  PENDING("Pending"),
  RUNNING("Running"),
  SUCCEEDED("Succeeded"),
  FAILED("Failed"),
  UNKNOWN("Unknown");

  private final String apiName;

  PodPhase(String apiName) {
    this.apiName = apiName;
  }

  public String apiName() {
    return apiName;
  }

  /** The phase named {@code name} as the API writes it; {@link #UNKNOWN} for anything else. */
  public static PodPhase fromApiName(String name) {
    return Arrays.stream(values()).filter(p -> p.apiName.equals(name)).findFirst().orElse(UNKNOWN);
  }
}
