package dev.kubeboot.runner.probe;

/** One probe's outcome; {@code message} says why it failed (shown in status and events). */
public record ProbeResult(boolean success, String message) {
  public static ProbeResult success(String message) {
    return new ProbeResult(true, message);
  }

  public static ProbeResult failure(String message) {
    return new ProbeResult(false, message);
  }
}
