package dev.kubeboot.cli.systemd;

import java.io.IOException;

/** The service manager refused a request: the message names the command, its exit and output. */
public final class ServiceManagerException extends IOException {
  public ServiceManagerException(String message) {
    super(message);
  }
}
