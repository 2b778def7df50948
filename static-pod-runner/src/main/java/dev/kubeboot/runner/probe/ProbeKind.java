package dev.kubeboot.runner.probe;

/** Which of a container's probes. */
public enum ProbeKind {
  LIVENESS,
  READINESS,
  STARTUP
}
