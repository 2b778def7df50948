package dev.kubeboot.runner.probe;

/** A probe's current verdict after thresholds. */
public enum ProbeStatus {
  /** Startup before its first verdict. */
  UNKNOWN,
  SUCCESS,
  FAILURE
}
