package dev.kubeboot.cli.systemd;

import java.io.IOException;

/**
 * The host's service manager, as far as init and reset hand the runner to it: whether it supervises
 * a unit, and turning the unit on and off. Tests replace it; {@link Systemctl} is the real one.
 */
public interface ServiceManager {
  /** Whether systemd runs this host (it is PID 1) and has {@code unit} installed. */
  boolean manages(String unit) throws IOException, InterruptedException;

  /** Whether {@code unit} is enabled or running. */
  boolean inUse(String unit) throws IOException, InterruptedException;

  /**
   * {@code systemctl enable --now}: starts the unit and starts it at every boot.
   *
   * @throws ServiceManagerException the service manager refused; the message carries its output
   */
  void enableNow(String unit) throws IOException, InterruptedException;

  /**
   * {@code systemctl disable --now}: stops the unit and no longer starts it at boot.
   *
   * @throws ServiceManagerException the service manager refused; the message carries its output
   */
  void disableNow(String unit) throws IOException, InterruptedException;
}
